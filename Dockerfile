# The JARVIS Atomic Executor as a container image: built with the .NET SDK, run on the ASP.NET Core runtime as the
# image's non-root user. Settings by environment, as anywhere else (README, Configuration).
#   docker build -t jarvis-atomic-executor .
#   docker run --rm -p 8082:8082 -e ARP_AUTH_PROFILE=dev-insecure jarvis-atomic-executor
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project or package version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Api/Jarvis.Api.csproj src/Api/
COPY src/Actors/Jarvis.Actors.csproj src/Actors/
COPY src/NodePacks/Jarvis.NodePacks.csproj src/NodePacks/
RUN dotnet restore src/Api/Jarvis.Api.csproj
COPY src/ src/
COPY hocon/ hocon/
RUN dotnet publish src/Api/Jarvis.Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Listen on every interface of the container (the executable's default is loopback); cluster remoting binds likewise
# when cluster mode is on, and then needs JARVIS_CLUSTER_PUBLIC_HOSTNAME (the name other containers reach it by).
ENV HOST=0.0.0.0 \
    PORT=8082 \
    JARVIS_CLUSTER_HOSTNAME=0.0.0.0
EXPOSE 8082 4053
# Cluster TLS files (deploy/compose.yaml keeps them in named volumes, which take these owners when first mounted).
RUN mkdir -p /var/lib/jarvis/cluster-tls /var/lib/jarvis/cluster-ca \
 && chown "$APP_UID" /var/lib/jarvis/cluster-tls /var/lib/jarvis/cluster-ca \
 && chmod 700 /var/lib/jarvis/cluster-ca
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["/app/jarvis-atomic-executor", "health"]
ENTRYPOINT ["/app/jarvis-atomic-executor"]
