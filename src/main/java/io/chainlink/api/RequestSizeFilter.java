package io.chainlink.api;

import io.chainlink.config.ChainlinkProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies ({@code chainlink.max-request-size}): a declared length over the bound is
 * refused with 413 before anything is read; a body of unknown length stops being read at the bound.
 * A multipart body (a submission with a tar of files) has its own, larger bound
 * ({@code chainlink.files.max-upload}); the container parses it, not through this stream, and the
 * same bound is its multipart configuration's (io.chainlink.files.UploadConfiguration).
 */
@Component
class RequestSizeFilter extends OncePerRequestFilter {

    private final long bodyLimit;
    private final long uploadLimit;

    RequestSizeFilter(ChainlinkProperties properties) {
        this.bodyLimit = properties.maxRequestSize().toBytes();
        this.uploadLimit = properties.files().maxUpload().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        long limit = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/") ? uploadLimit : bodyLimit;
        if (request.getContentLengthLong() > limit) {
            FilterProblem.write(response, HttpStatus.CONTENT_TOO_LARGE, tooLarge(limit));
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    /** Read past the bound: ProblemAdvice answers 413, as for a declared length. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super(tooLarge(limit));
        }
    }

    /** What a 413 says, whether the body declared its length or was cut while read. */
    private static String tooLarge(long limit) {
        return "request bodies are limited to " + limit + " bytes";
    }

    /** Stops reading at the bound, so a chunked body of any length costs at most that much. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new BodyTooLargeException(limit);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
