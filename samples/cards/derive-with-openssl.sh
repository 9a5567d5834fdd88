#!/usr/bin/env bash
# Static card keys of GlobalPlatformPro's published diversification vectors, computed with OpenSSL alone.
set -euo pipefail
hex2bin() { xxd -r -p; }
bin2hex() { xxd -p -c 256 | tr a-f A-F; }
tdes_ecb() { printf '%s' "$2" | hex2bin | openssl enc -des-ede-ecb -K "$1" -nopad | bin2hex; }
aes_ecb() { local c="aes-$(( ${#1} * 4 ))-ecb"; printf '%s' "$2" | hex2bin | openssl enc "-$c" -K "$1" -nopad | bin2hex; }
aes_cmac() { local c="AES-$(( ${#1} * 4 ))-CBC"; printf '%s' "$2" | hex2bin | openssl mac -cipher "$c" -macopt "hexkey:$1" CMAC | tr a-f A-F; }
visa2() { local mk=$1 kdd=$2 id=$3; local d="${kdd:0:4}${kdd:8:8}"; tdes_ecb "$mk" "${d}F0${id}${d}0F${id}"; }
kdf3() { local mk=$1 kdd=$2 id=$3 out="" n=$(( ${#1} / 32 + (${#1} % 32 > 0) )); for c in $(seq 1 $n); do out+=$(aes_cmac "$mk" "$(printf '%02X' $c)000000${id}00${kdd}"); done; echo "${out:0:${#mk}}"; }
kcv_des() { tdes_ecb "$1" 0000000000000000 | cut -c1-6; }
kcv_aes() { aes_ecb "$1" 01010101010101010101010101010101 | cut -c1-6; }
for spec in "visa2 404142434445464748494A4B4C4D4E4F" "kdf3 404142434445464748494A4B4C4D4E4F" "kdf3 404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F"; do
  set -- $spec
  for id in 01 02 03; do
    k=$($1 "$2" 00010203040506070809 $id)
    if [ "$1" = visa2 ]; then kc=$(kcv_des "$k"); else kc=$(kcv_aes "$k"); fi
    echo "$1 ${#2} $id $k $kc"
  done
done
