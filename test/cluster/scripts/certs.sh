#!/usr/bin/env bash
# Makes the test cluster's certificates with openssl into $STATE/pki.
#   ca            cluster CA: signs the apiserver, kwok and metrics-server serving certs and client certs
#   front-proxy   CA + client cert the aggregator uses to call metrics-server (requestheader authn)
#   sa            service-account signing key pair
# Usage: certs.sh            (all)     certs.sh user NAME [GROUP]  (client cert + kubeconfig for a user)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PKI=$STATE/pki
mkdir -p "$PKI"
cd "$PKI"

ca() { # NAME CN
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2" \
		-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature' 2>/dev/null
}

cert() { # NAME CA SUBJECT EXT-USAGE [SANS]
	local name=$1 signer=$2 subj=$3 usage=$4 sans=${5:-}
	openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
	{
		echo 'basicConstraints=critical,CA:FALSE'
		echo 'keyUsage=critical,digitalSignature,keyEncipherment'
		echo "extendedKeyUsage=$usage"
		[[ -n $sans ]] && echo "subjectAltName=$sans"
	} >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$signer.crt" -CAkey "$signer.key" -CAcreateserial -out "$name.crt" \
		-days 3650 -sha256 -extfile "$name.ext" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
}

kubeconfig() { # FILE USER CERTNAME
	local file=$1 user=$2 name=$3
	cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: memtop-test
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $user
  user:
    client-certificate: $PKI/$name.crt
    client-key: $PKI/$name.key
contexts:
- name: $user@memtop-test
  context:
    cluster: memtop-test
    user: $user
current-context: $user@memtop-test
KC
}

if [[ ${1:-} == user ]]; then
	name=${2:?user name}
	group=${3:-}
	subj="/CN=$name"
	[[ -n $group ]] && subj+="/O=$group"
	cert "user-$name" ca "$subj" clientAuth
	kubeconfig "$STATE/user-$name.kubeconfig" "$name" "user-$name"
	echo "$STATE/user-$name.kubeconfig"
	exit 0
fi

ca ca memtop-test-ca
ca front-proxy-ca memtop-test-front-proxy-ca
cert apiserver ca /CN=kube-apiserver serverAuth \
	'IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1'
cert apiserver-kubelet-client ca '/CN=kube-apiserver-kubelet-client/O=system:masters' clientAuth
cert admin ca '/CN=memtop-admin/O=system:masters' clientAuth
cert front-proxy-client front-proxy-ca /CN=front-proxy-client clientAuth
cert metrics-server ca /CN=metrics-server serverAuth 'DNS:metrics-server.kube-system.svc,DNS:localhost,IP:127.0.0.1'
cert kwok ca /CN=kwok serverAuth "DNS:localhost,IP:127.0.0.1,IP:$HOST_IP,IP:$NODE_IP"
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
kubeconfig "$KUBECONFIG_ADMIN" memtop-admin admin
