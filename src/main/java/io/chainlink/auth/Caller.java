package io.chainlink.auth;

/**
 * Who makes a request: the tenant its client belongs to (a course) and its role. Every rule of
 * who may see and do what is here.
 */
public record Caller(String tenant, Role role) {

    /** The one user of a service with no clients configured, on its own machine. */
    public static final Caller LOCAL = new Caller("local", Role.ADMIN);

    /** Whether this caller may see a job of {@code owner}: otherwise it does not learn the job exists. */
    public boolean sees(String owner) {
        return role == Role.ADMIN || tenant.equals(owner);
    }

    /** Whether this caller may sees every tenant's jobs, and filter them by tenant. */
    public boolean seesAll() {
        return role == Role.ADMIN;
    }

    public boolean maySubmit() {
        return role == Role.SUBMIT || role == Role.ADMIN;
    }
}
