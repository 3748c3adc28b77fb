#!/usr/bin/env bash
# Installs the Debian packages the lab and the tests need, only when missing.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have iperf3 || need+=(iperf3)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
have ssh-keygen || need+=(openssh-client)
have ethtool || need+=(ethtool)
{ have ip && have tc; } || need+=(iproute2)
have sudo || need+=(sudo)
have unshare || need+=(util-linux)
have busybox || need+=(busybox)
have ps || need+=(procps)
have sos || need+=(sosreport)
# The xz tests build their archives with it (sos writes .tar.xz by default).
have xz || need+=(xz-utils)
# The report's browser tests and its benchmark drive it headless (puppeteer-core
# never downloads a browser).
have chromium || need+=(chromium)
# The NICs on the PCI bus in every snapshot (lspci -Dnnk): on Azure, the VF.
have lspci || need+=(pciutils)
# openssl: the upload tests make a loopback HTTPS server's certificate.
have openssl || need+=(openssl)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]}; install them as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
