# Sourced by the build scripts of programs built from the Go module proxy (the cluster, Prometheus,
# k9s): `go_env CACHE NAME` points Go's module and build caches into CACHE (outside the repo), builds
# with the local toolchain, static and without VCS stamping, and fails with one line without go.
go_env() {
	local cache=$1 name=$2
	export GOTOOLCHAIN=local
	export GOMODCACHE=$cache/go/mod
	export GOCACHE=$cache/go/build
	export GOPATH=$cache/go/path
	export GOFLAGS=-buildvcs=false
	export CGO_ENABLED=0
	mkdir -p "$cache/bin" "$GOMODCACHE" "$GOCACHE" "$GOPATH"
	command -v go >/dev/null || { echo "$name: go is not installed" >&2; exit 1; }
}
