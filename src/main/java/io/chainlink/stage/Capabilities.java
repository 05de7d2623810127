package io.chainlink.stage;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Linux capability names as a stage asks for them and a policy allows them: {@code NET_ADMIN} or
 * {@code CAP_NET_ADMIN}, one name however written. {@code ALL} is the engine's word for every
 * capability; it passes only a policy that lists {@code ALL} itself.
 */
public final class Capabilities {

    /** capabilities(7) as of Linux 5.9, and the engine's ALL; an unknown name would fail at the engine instead. */
    static final Set<String> KNOWN = Set.of("ALL",
            "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
            "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
            "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
            "SYSLOG", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
            "SYS_TTY_CONFIG", "WAKE_ALARM");

    private Capabilities() {
    }

    /** The name without {@code CAP_}. */
    public static String parse(String name) {
        if (name == null || !name.matches("[A-Z_]{1,36}")) {
            throw new IllegalArgumentException("is not a capability name: upper case letters and '_', such as NET_ADMIN or CAP_NET_ADMIN");
        }
        String bare = name.startsWith("CAP_") ? name.substring(4) : name;
        if (!KNOWN.contains(bare)) {
            throw new IllegalArgumentException("is not a capability Linux knows (capabilities(7)), such as NET_ADMIN or SYS_PTRACE");
        }
        return bare;
    }

    /** The names parsed, each once, in the order first written; null reads as none. */
    public static List<String> normalise(Collection<String> names) {
        if (names == null) {
            return List.of();
        }
        LinkedHashSet<String> bare = new LinkedHashSet<>();
        for (String name : names) {
            bare.add(parse(name));
        }
        return List.copyOf(bare);
    }
}
