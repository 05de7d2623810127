import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's HEALTHCHECK: exits 0 when the service's {@code /actuator/health} answers 200 (UP:
 * the database and the engine reachable), 1 otherwise. A JRE image need not have curl or wget,
 * but it has java; a JVM this small starts in a fraction of a second and about 30 MB.
 */
public final class HealthProbe {

    public static void main(String[] args) {
        // The port the service was told to listen on, as Spring reads it from the environment.
        String port = System.getenv().getOrDefault("MANAGEMENT_SERVER_PORT",
                System.getenv().getOrDefault("SERVER_PORT", "8080"));
        try {
            var health = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/actuator/health").toURL().openConnection();
            health.setConnectTimeout(2_000);
            health.setReadTimeout(4_000);
            int status = health.getResponseCode();
            System.out.println("/actuator/health: " + status);
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.out.println("/actuator/health: " + e);
            System.exit(1);
        }
    }
}
