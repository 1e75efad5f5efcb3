# Build:  docker build -t sessionguard/sessiond .
# Run:    see docker-compose.yml (sessiond needs Redis and token keys).

FROM golang:1.26 AS build
WORKDIR /src

# -buildvcs=false: the build context may lack .git (or hold a worktree's
# .git file), which would otherwise make `go build` fail while stamping
# VCS information.
ENV GOFLAGS="-trimpath -buildvcs=false"

# Dependencies first, so editing code does not re-download modules.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
# CGO_ENABLED=0: static binaries for the distroless image.
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/sessiond ./cmd/sessiond \
 && CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/sessionctl ./cmd/sessionctl

# static-debian12 has CA certificates and tzdata but no shell or libc; the
# :nonroot tag runs as uid/gid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sessiond /out/sessionctl /usr/local/bin/
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sessiond"]
