package io.chainlink.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request about one job (its view, cancel, results, a stage's log) logs with the job's public id
 * ({@code job}), and the stage's index, in the MDC, as the worker's lines do: a cancel's lines and a
 * failed request's error carry them too.
 */
@Component
class JobLogContextFilter extends OncePerRequestFilter {

    /** Only the canonical form of an id: anything else is left to the controller's 404. */
    private static final Pattern JOB_PATH = Pattern.compile(
            "/api/v1/jobs/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:/stages/(\\d{1,9})(?:/.*)?|/.*)?");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher path = JOB_PATH.matcher(request.getRequestURI());
        if (!path.matches()) {
            chain.doFilter(request, response);
            return;
        }
        MDC.put("job", path.group(1));
        if (path.group(2) != null) {
            MDC.put("stage", Integer.toString(Integer.parseInt(path.group(2))));
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("job");
            MDC.remove("stage");
        }
    }
}
