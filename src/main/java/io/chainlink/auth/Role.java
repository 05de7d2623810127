package io.chainlink.auth;

/** What a client may do. */
public enum Role {
    /** Submit jobs, and read and cancel its own tenant's. */
    SUBMIT,
    /** Read its own tenant's jobs only. */
    READ,
    /** Everything, for every tenant. */
    ADMIN
}
