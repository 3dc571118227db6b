package io.etcdj.raft.simulation;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/**
 * Copies a record with one component replaced. The harness forges messages (a vote "from" a
 * different voter) without depending on each message record's exact component list.
 */
final class RecordCopy {

    private RecordCopy() {
    }

    static <R extends Record> R with(R record, String component, Object value) {
        try {
            RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            boolean found = false;
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals(component) ? value : components[i].getAccessor().invoke(record);
                found |= components[i].getName().equals(component);
            }
            if (!found) {
                throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component " + component);
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            @SuppressWarnings("unchecked")
            R copy = (R) canonical.newInstance(values);
            return copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record, e);
        }
    }

    /** The value of a boolean component, e.g. a response's {@code reject}. */
    static boolean flag(Record record, String component) {
        try {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (c.getName().equals(component)) {
                    return (Boolean) c.getAccessor().invoke(record);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component + " of " + record, e);
        }
        throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component " + component);
    }
}
