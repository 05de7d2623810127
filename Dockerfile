# Chainlink's image: built with the Maven wrapper, run on a JRE as a non-root user that reaches the
# engine through its socket, mounted from the host. docker-compose.yml runs it; by hand:
#
#   docker build -t chainlink .
#   docker run -d -p 8080:8080 \
#     -v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g /var/run/docker.sock)" \
#     -v chainlink-data:/var/lib/chainlink \
#     -e CHAINLINK_CLIENTS_0_NAME=admin -e CHAINLINK_CLIENTS_0_ROLE=admin -e CHAINLINK_CLIENTS_0_TOKEN \
#     chainlink
#
# The base images are build arguments, so a mirror or a locally made image can stand in for them
# (.ci/service-image makes both from the machine's JDK where no registry is reachable). The build
# image needs a JDK 17 or newer, /bin/sh and the usual tools; the run image a JRE 17 or newer and
# /bin/sh.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /build
# Maven and the dependencies in layers of their own, which a change to the sources leaves cached.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw --batch-mode --no-transfer-progress dependency:go-offline
COPY src/main src/main
RUN ./mvnw --batch-mode --no-transfer-progress --offline -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/chainlink-*.jar extract --layers --application-filename chainlink.jar --destination /app \
 && javac --release 17 -d /app/probe src/main/docker/HealthProbe.java
# The service's JVM settings have one home, the spring-boot-maven-plugin configuration in pom.xml,
# which spring-boot:run and bench/run read too: its jvmArguments become a java argument file, its
# environmentVariables exports the entrypoint sources (a value given with docker run -e wins).
RUN sed -n 's:.*<jvmArguments>\(.*\)</jvmArguments>.*:\1:p' pom.xml | tr -s ' ' '\n' > /app/jvm.options \
 && sed -n '/<environmentVariables>/,/<\/environmentVariables>/ s:.*<\([A-Za-z_][A-Za-z0-9_]*\)>\([^<]*\)</\1>.*:export \1="${\1-\2}":p' \
        pom.xml > /app/jvm.env \
 && grep -q . /app/jvm.options && grep -q . /app/jvm.env

FROM ${JRE_IMAGE}
# Written into /etc/passwd rather than with useradd, which not every base image has. Its home
# holds nothing, but is where the service looks for docker login's config (chainlink.docker-config).
RUN echo 'chainlink:x:10001:10001:Chainlink:/home/chainlink:/sbin/nologin' >> /etc/passwd \
 && echo 'chainlink:x:10001:' >> /etc/group \
 && mkdir -p /home/chainlink /var/lib/chainlink \
 && chown 10001:10001 /home/chainlink /var/lib/chainlink
WORKDIR /app
# The extracted jar, the dependencies first: a new build of the service changes only the last layer.
COPY --from=build /app/dependencies/ ./
COPY --from=build /app/spring-boot-loader/ ./
COPY --from=build /app/snapshot-dependencies/ ./
COPY --from=build /app/application/ ./
COPY --from=build /app/probe/ probe/
COPY --from=build /app/jvm.options /app/jvm.env ./
# A fresh named volume takes this directory's owner, so the service can write its database there.
# It is also the working directory: the disk space health check watches it, and a JVM crash
# report (hs_err_pid*.log) outlives the container.
VOLUME /var/lib/chainlink
WORKDIR /var/lib/chainlink
ENV CHAINLINK_DATA_DIR=/var/lib/chainlink \
    SERVER_ADDRESS=0.0.0.0
EXPOSE 8080
# The user's number, not its name, so that a runtime that checks runAsNonRoot can tell.
USER 10001:10001
# DOWN (503) while the engine is out of reach: a missing socket or --group-add shows as unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=2m --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx16m", "-cp", "/app/probe", "HealthProbe"]
# exec: java is the container's first process and gets docker stop's SIGTERM (a graceful stop
# needs chainlink.stop-grace and a little more: docker stop -t 30). JAVA_OPTS (e.g. -Xmx512m)
# come after the pom's settings and win over them.
ENTRYPOINT ["/bin/sh", "-c", ". /app/jvm.env && exec java @/app/jvm.options $JAVA_OPTS -jar /app/chainlink.jar \"$@\"", "chainlink"]
