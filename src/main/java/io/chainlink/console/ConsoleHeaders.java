package io.chainlink.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's pages may run only the console's own script file and talk only to this service:
 * no inline script, no other origin, no framing, no form that posts anywhere. Stage output is
 * students' output; the script inserts it as text, and this policy is the second wall should a
 * mistake ever let it be read as markup.
 */
@Component
class ConsoleHeaders extends OncePerRequestFilter {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String info = request.getPathInfo();
        String path = request.getServletPath() + (info == null ? "" : info);
        return !path.startsWith(ConsoleConfiguration.PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        // Revalidated each time (Last-Modified makes that cheap): after an upgrade the page and
        // its script are never a mix of two versions.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        chain.doFilter(request, response);
    }
}
