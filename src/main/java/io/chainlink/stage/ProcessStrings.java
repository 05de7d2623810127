package io.chainlink.stage;

import java.util.List;
import java.util.Map;

/**
 * What a stage's process may be given: its command line (argv) and environment (envp) are C
 * strings handed to execve(2), checked before a stage is stored, so that a stage the kernel could
 * never start, or one that makes the engine hang, is refused at submission with its field named.
 *
 * <p>Linux refuses one string longer than MAX_ARG_STRLEN, 32 pages: 131072 bytes with its NUL.
 * All strings together, with a pointer to each, must fit in ARG_MAX, a quarter of the stack
 * limit: 2 MiB under the usual 8 MiB. Docker adds the image's environment to ours, so our share is
 * kept well below that: the command line and each of the job's and the stage's environments get
 * {@value #TOTAL_MAX} bytes, counted as the kernel counts them (each string's bytes in UTF-8, its
 * NUL and an 8-byte pointer), 768 KiB together at most. A single word of the largest size still
 * fits in a command line.
 *
 * <p>The first word, the program, is bounded far lower, by PATH_MAX: no longer path can be
 * executed (the kernel answers ENAMETOOLONG). Runc (1.1, Docker 20.10) hangs for good in its create
 * when the program cannot be executed and its name is about 64 KiB or longer (63,000 bytes failed
 * at once, 65,536 hung: its error, which quotes the name, outgrows a pipe's buffer), and the
 * container then cannot be removed until that runc is killed on the engine's host.
 */
public final class ProcessStrings {

    /** MAX_ARG_STRLEN less the NUL: the longest word, or {@code NAME=value}, in bytes. */
    public static final int STRING_MAX = 131_072 - 1;

    /** A command line's or an environment's share of ARG_MAX, in bytes as execve counts them. */
    public static final int TOTAL_MAX = 256 * 1024;

    /** PATH_MAX less the NUL: the longest program name, in bytes. */
    public static final int PROGRAM_MAX = 4096 - 1;

    private static final int POINTER = 8;

    private ProcessStrings() {
    }

    /** Refuses a command line the kernel would refuse; the message names the word by its place. */
    public static void checkCommandLine(List<String> words) {
        long total = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("must not contain NUL: a process argument cannot hold one");
            }
            int bytes = utf8Length(word);
            if (i == 0 && bytes > PROGRAM_MAX) {
                throw new IllegalArgumentException("word 0, the program, is " + bytes + " bytes in UTF-8; it may have at most "
                        + PROGRAM_MAX + " (Linux's PATH_MAX less the closing NUL)");
            }
            if (bytes > STRING_MAX) {
                throw new IllegalArgumentException("word " + i + " is " + bytes + " bytes in UTF-8; a word may have at most "
                        + STRING_MAX + " (Linux's MAX_ARG_STRLEN less the closing NUL)");
            }
            total += execBytes(bytes);
        }
        if (total > TOTAL_MAX) {
            throw new IllegalArgumentException("the command line is " + total + " bytes as execve counts them (each word, its NUL"
                    + " and an 8-byte pointer); at most " + TOTAL_MAX + " are accepted");
        }
    }

    /**
     * Refuses an environment the kernel would refuse or could not express: a name is non-empty
     * and holds no {@code =} (the first one ends the name), nothing holds NUL, every value is a
     * string. The message never quotes a name or value: it may end up in a message template.
     */
    public static void checkEnvironment(Map<String, String> env) {
        long total = 0;
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String name = variable.getKey();
            String value = variable.getValue();
            if (name.isEmpty() || name.indexOf('=') >= 0 || value == null
                    || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "names must be non-empty and contain no '=', values must be strings, and neither may contain NUL");
            }
            int bytes = variableBytes(name, value);
            if (bytes > STRING_MAX) {
                throw new IllegalArgumentException("a variable is " + bytes + " bytes as NAME=value in UTF-8; each may have at most "
                        + STRING_MAX + " (Linux's MAX_ARG_STRLEN less the closing NUL)");
            }
            total += execBytes(bytes);
        }
        if (total > TOTAL_MAX) {
            throw new IllegalArgumentException("the variables are " + total + " bytes as execve counts them (each NAME=value,"
                    + " its NUL and an 8-byte pointer); at most " + TOTAL_MAX + " are accepted");
        }
    }

    /** An environment's bytes as execve counts them: each {@code NAME=value} in UTF-8, its NUL and a pointer. */
    public static long environmentBytes(Map<String, String> env) {
        long total = 0;
        for (Map.Entry<String, String> variable : env.entrySet()) {
            total += execBytes(variableBytes(variable.getKey(), variable.getValue()));
        }
        return total;
    }

    private static int variableBytes(String name, String value) {
        return utf8Length(name) + 1 + utf8Length(value);
    }

    private static long execBytes(int stringBytes) {
        return stringBytes + 1L + POINTER;
    }

    /**
     * UTF-8 length without encoding, so a huge word costs no copy. A JSON escape can write half of
     * a surrogate pair, which has no UTF-8 form: the engine's client could not send it, so it is
     * refused here.
     */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("must be Unicode text: half of a surrogate pair has no UTF-8 form");
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
