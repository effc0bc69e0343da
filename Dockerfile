# Builds and runs the embedded silo. The build fetches the site page's chart library from npm, so the SDK stage has Node.js.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/HvsGrains.Silo -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Hvs__DataDirectory=/data ASPNETCORE_URLS=http://+:8080
VOLUME /data
# 8080: front door and pages; 11111: silo-to-silo; 30000: gateway for Orleans clients (the `hvs` tool).
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "HvsGrains.Silo.dll"]
