#!/bin/sh
# Makes a test PKI in directory $1 with openssl, for the TLS tests:
#   ca.pem              the test CA ("wsc test CA")
#   server.{pem,key}    localhost, 127.0.0.1 and ::1, signed by the CA
#   dnsonly.{pem,key}   DNS:localhost only (no IP subjectAltName)
#   expired.{pem,key}   like server, valid in January 2020 only
#   other.{pem,key}     for other.example only
#   self.{pem,key}      localhost, self-signed
#   rogue.{pem,key}     localhost, signed by an unknown CA
#   client.pem          a client certificate (CN=wsc client) signed by the CA;
#   client.key          its RSA key, encrypted as traditional PEM (AES-128,
#                       passphrase "secret"), which mbedTLS 2.28 reads;
#   client-p8aes.key    the same key as PKCS#8 with AES (OpenSSL 3's
#                       default), which mbedTLS 2.28's parser cannot read.
set -eu
cd "$1"

run() {
	"$@" >>mkcerts.log 2>&1 || { echo "mkcerts: failed: $*" >&2; cat mkcerts.log >&2; exit 1; }
}

# An EC P-256 key (fast to make) in $1.
eckey() {
	run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# A CA: name, file stem.
mkca() {
	eckey "$2.key"
	run openssl req -x509 -new -key "$2.key" -out "$2.pem" -days 30 \
	    -subj "/CN=$1" -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign"
}

# A leaf: stem, CN, subjectAltName, CA stem, extra openssl x509 options.
mkleaf() {
	stem=$1 cn=$2 san=$3 ca=$4
	shift 4
	eckey "$stem.key"
	run openssl req -new -key "$stem.key" -out "$stem.csr" -subj "/CN=$cn"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$san" >"$stem.ext"
	run openssl x509 -req -in "$stem.csr" -CA "$ca.pem" -CAkey "$ca.key" \
	    -CAcreateserial -out "$stem.pem" -extfile "$stem.ext" "$@"
}

mkca "wsc test CA" ca
mkca "wsc rogue CA" rogueca
mkleaf server localhost "DNS:localhost,IP:127.0.0.1,IP:::1" ca -days 30
mkleaf dnsonly localhost "DNS:localhost" ca -days 30
mkleaf other other.example "DNS:other.example" ca -days 30
mkleaf rogue localhost "DNS:localhost,IP:127.0.0.1" rogueca -days 30

# Expired: openssl x509 has no start date option before 3.4; openssl ca has.
eckey expired.key
run openssl req -new -key expired.key -out expired.csr -subj "/CN=localhost"
mkdir -p cadb
: >cadb/index.txt
echo 1000 >cadb/serial
cat >cadb/ca.cnf <<CNF
[ca]
default_ca = testca
[testca]
database = cadb/index.txt
new_certs_dir = cadb
serial = cadb/serial
default_md = sha256
policy = anything
[anything]
commonName = supplied
[leaf]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
CNF
run openssl ca -batch -config cadb/ca.cnf -cert ca.pem -keyfile ca.key \
    -in expired.csr -out expired.pem -extensions leaf -notext \
    -startdate 20200101000000Z -enddate 20200131000000Z

eckey self.key
run openssl req -x509 -new -key self.key -out self.pem -days 30 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"

# The client: RSA, its key encrypted in formats mbedTLS 2.28 does and does
# not read.
run openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-plain.key
run openssl req -new -key client-plain.key -out client.csr -subj "/CN=wsc client"
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' >client.ext
run openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out client.pem -extfile client.ext -days 30
run openssl rsa -in client-plain.key -out client.key -aes128 -traditional \
    -passout pass:secret
run openssl pkcs8 -topk8 -in client-plain.key -out client-p8aes.key \
    -v2 aes-256-cbc -passout pass:secret
