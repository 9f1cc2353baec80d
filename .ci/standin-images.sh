#!/usr/bin/env bash
# Builds stand-ins for the official base images the Dockerfile and the compose file name, for machines that reach no
# container registry (CI here): a Debian 12 root filesystem made with mmdebstrap from this machine's own apt sources
# (no apt source and no host name left in it), plus
#   mcr.microsoft.com/dotnet/aspnet:10.0   the .NET and ASP.NET Core runtimes of this machine's SDK, user "app" (APP_UID)
#   mcr.microsoft.com/dotnet/sdk:10.0      that, plus the SDK itself and this machine's extra root certificates
#   nginx:stable                          Debian's nginx, logging to the console, as the official image does
# Images that already exist are left alone (set STANDIN_REBUILD=1 to rebuild). Needs root, docker, mmdebstrap.
set -euo pipefail
: "${DOCKER:=docker}"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have() { [ "${STANDIN_REBUILD:-0}" != 1 ] && $DOCKER image inspect "$1" >/dev/null 2>&1; }

if ! have jarvis-standin/debian:bookworm; then
  echo "standin: debian root filesystem (mmdebstrap)" >&2
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,libssl3,zlib1g,libstdc++6,libgcc-s1,libicu72,tzdata,passwd \
    --customize-hook='rm -f "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*; rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$work/rootfs.tar"
  $DOCKER import "$work/rootfs.tar" jarvis-standin/debian:bookworm >/dev/null
fi

if ! have mcr.microsoft.com/dotnet/aspnet:10.0; then
  echo "standin: mcr.microsoft.com/dotnet/aspnet:10.0 (runtime $runtime)" >&2
  mkdir -p "$work/aspnet/dotnet/shared" "$work/aspnet/dotnet/host"
  cp -a "$dotnet_root/dotnet" "$work/aspnet/dotnet/"
  cp -a "$dotnet_root/host/fxr" "$work/aspnet/dotnet/host/"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$work/aspnet/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$runtime" "$work/aspnet/dotnet/shared/$framework/"
  done
  cat > "$work/aspnet/Dockerfile" <<'DOCKERFILE'
FROM jarvis-standin/debian:bookworm
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid app --no-create-home --shell /bin/false app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_ROOT=/usr/share/dotnet
DOCKERFILE
  $DOCKER build --quiet -t mcr.microsoft.com/dotnet/aspnet:10.0 "$work/aspnet" >/dev/null
fi

if ! have mcr.microsoft.com/dotnet/sdk:10.0; then
  echo "standin: mcr.microsoft.com/dotnet/sdk:10.0" >&2
  mkdir -p "$work/sdk/dotnet"
  cp -a "$dotnet_root/sdk" "$dotnet_root/packs" "$dotnet_root/templates" "$work/sdk/dotnet/" 2>/dev/null || cp -a "$dotnet_root/sdk" "$work/sdk/dotnet/"
  [ -d "$dotnet_root/sdk-manifests" ] && cp -a "$dotnet_root/sdk-manifests" "$work/sdk/dotnet/"
  # The root certificates this machine adds to its trust store (here: the one its NuGet connection is signed with),
  # so that a restore in the build stage reaches NuGet as the machine does.
  mkdir -p "$work/sdk/extra-ca"
  cp /usr/local/share/ca-certificates/*.crt "$work/sdk/extra-ca/" 2>/dev/null || true
  cat > "$work/sdk/Dockerfile" <<'DOCKERFILE'
FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY dotnet /usr/share/dotnet
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DOCKERFILE
  $DOCKER build --quiet -t mcr.microsoft.com/dotnet/sdk:10.0 "$work/sdk" >/dev/null
fi

if ! have nginx:stable; then
  echo "standin: nginx:stable (Debian's nginx)" >&2
  cat > "$work/Dockerfile.nginx" <<'DOCKERFILE'
FROM jarvis-standin/debian:bookworm
DOCKERFILE
  mkdir -p "$work/nginx"
  # Debian's nginx package, unpacked into the image without apt sources: downloaded here, installed there.
  (cd "$work/nginx" && apt-get download nginx nginx-common libpcre2-8-0 >/dev/null 2>&1 || true)
  cat > "$work/nginx/Dockerfile" <<'DOCKERFILE'
FROM jarvis-standin/debian:bookworm
COPY *.deb /tmp/debs/
RUN dpkg -i --force-depends /tmp/debs/*.deb >/dev/null 2>&1 || true; rm -rf /tmp/debs \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \
 && rm -f /etc/nginx/sites-enabled/default
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
DOCKERFILE
  $DOCKER build --quiet -t nginx:stable "$work/nginx" >/dev/null
fi
echo "standin: images ready" >&2
