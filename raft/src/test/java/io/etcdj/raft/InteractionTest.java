package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the interaction scripts in {@code src/test/resources/testdata}: each command is followed
 * by {@code ----} and its expected output up to a blank line. With {@code -Drewrite=true} the
 * files are rewritten with the actual output — review every change by hand, they are assertions.
 */
class InteractionTest {

    private static final Path DIR = Paths.get("src/test/resources/testdata");

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    /** A command with its expected output, or a line copied verbatim (comment, blank). */
    private record Item(String text, String command, List<String> expected) {
    }

    private static List<Item> parse(List<String> lines) {
        List<Item> items = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                items.add(new Item(l, null, null));
                i++;
                continue;
            }
            List<String> expected = new ArrayList<>();
            i++;
            if (i < lines.size() && lines.get(i).equals("----")) {
                i++;
                while (i < lines.size() && !lines.get(i).isEmpty()) {
                    expected.add(lines.get(i));
                    i++;
                }
                i++; // the blank line ending the output
            } else if (i < lines.size() && lines.get(i).isBlank()) {
                i++; // a new command's separating blank line: the output block replaces it
            }
            items.add(new Item(null, l, expected));
        }
        return items;
    }

    private static void run(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Item> items = parse(lines);
        InteractionEnv env = new InteractionEnv();
        InteractionCommands commands = new InteractionCommands(env);
        StringBuilder actual = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (Item item : items) {
            if (item.command() == null) {
                actual.append(item.text()).append('\n');
                expected.append(item.text()).append('\n');
                continue;
            }
            env.out.setLength(0);
            try {
                commands.run(item.command());
            } catch (RuntimeException e) {
                env.line("error: " + e);
            }
            String output = env.out.isEmpty() ? "ok\n" : env.out.toString();
            actual.append(item.command()).append("\n----\n").append(output).append('\n');
            expected.append(item.command()).append("\n----\n");
            for (String e : item.expected()) {
                expected.append(e).append('\n');
            }
            expected.append('\n');
        }
        if (Boolean.getBoolean("rewrite")) {
            String text = actual.toString().replaceAll("\n{3,}", "\n\n");
            // Keep the file ending in exactly one newline.
            Files.writeString(file, text.stripTrailing() + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual.toString().stripTrailing()).as(file.toString())
                .isEqualTo(expected.toString().stripTrailing());
    }
}
