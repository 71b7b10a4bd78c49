# Two commands: `make run` and `make test`. Both install what a fresh Debian
# machine lacks, mount bpffs and build.
SHELL := /bin/bash
STATE_DIR ?= $(CURDIR)/.state
LISTEN ?= http://127.0.0.1:5000
APT_PACKAGES := curl clang llvm libbpf-dev libbpf1 bpftool iproute2 iputils-ping ethtool nftables gcc libc6-dev libc6-dev-i386 chromium ovn-central ovn-common openvswitch-common openvswitch-switch
CONFIG ?= Release

.PHONY: run test deps build bench openapi clean

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

# hoverd is published over its build output ahead-of-time compiled (ReadyToRun): a cold start
# otherwise spends a core on the JIT while it loads hundreds of modules.
RID := linux-$(subst x86_64,x64,$(subst aarch64,arm64,$(shell uname -m)))

build: deps
	dotnet build IoVisor.sln -c $(CONFIG) -nologo -clp:ErrorsOnly
	dotnet publish src/Hover/IoVisor.Hover.csproj -c $(CONFIG) -r $(RID) --self-contained false -p:PublishReadyToRun=true \
	  -o src/Hover/bin/$(CONFIG)/net10.0 -nologo -clp:ErrorsOnly

run: build
	dotnet src/Hover/bin/$(CONFIG)/net10.0/hoverd.dll --listen $(LISTEN) --state-dir $(STATE_DIR) --bpffs-dir /sys/fs/bpf/iovisor

test: build
	bash scripts/run-tests.sh $(CONFIG)

bench: build
	dotnet bench/Bench/bin/$(CONFIG)/net10.0/IoVisor.Bench.dll

openapi: build
	bash scripts/write-openapi.sh $(CONFIG)

clean:
	dotnet clean IoVisor.sln -nologo -v q
