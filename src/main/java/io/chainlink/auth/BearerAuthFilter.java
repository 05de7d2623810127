package io.chainlink.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import io.chainlink.api.FilterProblem;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/v1} request names its client with {@code Authorization: Bearer <token>};
 * without a valid one it answers 401 with a problem body and {@code WWW-Authenticate: Bearer}.
 * The caller it finds is the request's {@link #CALLER} attribute, and the request's user and role,
 * which is how actuator's health shows its details to admins only
 * ({@code management.endpoint.health.show-details=when-authorized}); health itself needs no token.
 * With no clients configured, every request is the local admin's ({@link Caller#LOCAL}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BearerAuthFilter extends OncePerRequestFilter {

    public static final String CALLER = BearerAuthFilter.class.getName() + ".caller";
    private static final String PREFIX = "Bearer ";

    private final Clients clients;

    public BearerAuthFilter(Clients clients) {
        this.clients = clients;
    }

    private static final String HEALTH = "/actuator/health";
    /**
     * Metrics need a client's token like the API: they show every tenant's queue and jobs, which
     * is more than an anonymous caller may learn. A scraper gets a read client of its own.
     */
    private static final List<String> METRICS = List.of("/actuator/metrics", "/actuator/prometheus");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith("/api/") && !path.startsWith(HEALTH) && METRICS.stream().noneMatch(path::startsWith);
    }

    /**
     * The path as the application's mappings see it: decoded, with {@code ;parameters} removed.
     * The raw request URI is neither ({@code /%61pi/v1/jobs} reaches the same controller).
     */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = clients.open() ? Optional.of(Caller.LOCAL) : bearer(request).flatMap(clients::byToken);
        if (path(request).startsWith(HEALTH)) {
            chain.doFilter(caller.<HttpServletRequest>map(c -> new Authenticated(request, c)).orElse(request), response);
            return;
        }
        if (caller.isEmpty()) {
            unauthorized(response, bearer(request).isPresent()
                    ? "the bearer token is not one of this service's clients"
                    : "this API needs Authorization: Bearer <token>");
            return;
        }
        request.setAttribute(CALLER, caller.get());
        chain.doFilter(new Authenticated(request, caller.get()), response);
    }

    /** The request as its caller's: its tenant the user, its role the one role it is in. */
    private static final class Authenticated extends HttpServletRequestWrapper {

        private final Caller caller;

        Authenticated(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller::tenant;
        }

        @Override
        public String getRemoteUser() {
            return caller.tenant();
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.role().name().equalsIgnoreCase(role);
        }
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String token = header.substring(PREFIX.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** Written here, before any controller: the problem advice never sees a request that is not let in. */
    private static void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        FilterProblem.write(response, HttpStatus.UNAUTHORIZED, detail);
    }
}
