# syntax=docker/dockerfile:1
# The budget-meter executable in a container. `run` (the default) is the metering topology; the same image runs
# `topics` (the init step) and `simulate` (a demo worker fleet) in docker-compose.yml.

# Build with the project's own Maven build: only the cli module and the modules it needs, tests skipped (CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -pl cli -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/budget-meter budget
WORKDIR /app
COPY --from=build /src/cli/target/budget-meter.jar /app/budget-meter.jar
USER budget
# Kafka Streams keeps its state stores here (`run` reads BUDGET_METER_<KEY> variables as settings: state.dir). The
# directory is made in the image, by the user that runs the app: an empty named volume mounted on it (as in
# docker-compose.yml) starts with this owner, where a directory Docker makes for a mount would belong to root.
RUN mkdir -p /var/lib/budget-meter/state
ENV BUDGET_METER_STATE_DIR=/var/lib/budget-meter/state
EXPOSE 8080
# /health answers 200 while the application is alive. bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/budget-meter.jar"]
CMD ["run"]
