package io.etcdj.server.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class RevisionSetTest {
    /** Against java.util.HashSet: same membership for added and absent revisions, same size. */
    @Property(tries = 200)
    void behavesLikeAHashSet(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = 40) Long> mains,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 5) Long> subs) {
        RevisionSet set = new RevisionSet();
        Set<Revision> model = new HashSet<>();
        int n = Math.min(mains.size(), subs.size());
        for (int i = 0; i < n; i++) {
            Revision r = new Revision(mains.get(i), subs.get(i));
            set.add(r);
            model.add(r);
        }
        assertThat(set.size()).isEqualTo(model.size());
        for (long m = 0; m <= 41; m++) {
            for (long s = 0; s <= 6; s++) {
                Revision r = new Revision(m, s);
                assertThat(set.contains(r)).as("%s", r).isEqualTo(model.contains(r));
            }
        }
        RevisionSet copy = new RevisionSet();
        copy.addAll(set);
        assertThat(copy.size()).isEqualTo(set.size());
    }
}
