# Builds and runs the silo (either form: deploy/kubernetes). The build needs no Node.js: it fetches the site page's
# chart library as a pinned tarball from the npm registry itself (src/HvsGrains.Silo/HvsGrains.Silo.csproj).
# tests/HvsGrains.Silo.Tests/Deployment/DockerfileTests.cs runs this publish command and the published silo.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/HvsGrains.Silo -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The data folder (embedded form: SQLite files, readings log; both forms: generated keys, uploaded models),
# owned by the images' non-root "app" user the silo runs as.
RUN mkdir /data && chown "$APP_UID" /data
# shutdownTimeoutSeconds: the host's graceful stop (HostOptions.ShutdownTimeout), as in deploy/kubernetes; give
# `docker stop -t 60` more than that (Docker's default is 10 s).
ENV Hvs__DataDirectory=/data ASPNETCORE_HTTP_PORTS=8080 shutdownTimeoutSeconds=45
VOLUME /data
USER $APP_UID
# 8080: front door and pages; 11111: silo-to-silo; 30000: gateway for Orleans clients (the `hvs` tool).
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "HvsGrains.Silo.dll"]
