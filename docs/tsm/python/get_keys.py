#!/usr/bin/env python3
"""Get one card's static keys from the TTP with WSGetDiversifiedKeys, unwrap them and check them.

A sample TSM client for the TTP key server's onboarding kit (docs/tsm/README.md). It uses the standard library, zeep
(SOAP; with requests, on which zeep is built, for its HTTP session) and cryptography only (Debian: python3-zeep,
python3-cryptography):

  1. loads the WSDL from the kit's file (docs/tsm/KeyDistribution.wsdl), not from the network;
  2. calls WSGetDiversifiedKeys at --endpoint over mutual TLS (--client-cert/--client-key, trusting only --ca);
  3. checks that the answer names the KEK of --kek-file (KekCheckValue);
  4. unwraps each key: TR-31 version D key blocks (ANSI X9.143, AES KEK) or GP cryptograms (3DES-ECB under a TDES
     KEK, AES-CBC with a zero IV under an AES KEK);
  5. compares each key's check value with the one the TTP sent.

It prints the RequestId, the format and, for each key, its check value. It never prints a key. A SOAP fault is printed
as "Code: Message (RequestId ...)" and the exit code is non-zero (see EXIT_* below).

Test values only in the kit's examples; a real TSM keeps its KEK in its HSM, not in a file.
"""

import argparse
import hmac
import json
import os
import sys

import requests
import zeep
import zeep.exceptions
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

try:  # cryptography >= 43 moved TripleDES to the "decrepit" module
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # Debian 12's cryptography 38
    TripleDES = algorithms.TripleDES

NAMESPACE = "urn:ttp:keydistribution:v1"
BINDINGS = {
    "1.1": "{%s}KeyDistributionSoap11" % NAMESPACE,
    "1.2": "{%s}KeyDistributionSoap12" % NAMESPACE,
}
DEFAULT_WSDL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "KeyDistribution.wsdl")
KEK_ALGORITHMS = {"tdes2": 16, "tdes3": 24, "aes128": 16, "aes192": 24, "aes256": 32}

EXIT_OK = 0
EXIT_USAGE = 2        # a bad argument or file
EXIT_REFUSED = 4      # the TTP answered with a SOAP fault (printed with its RequestId)
EXIT_UNREACHABLE = 5  # no answer: connection or TLS handshake failed (an unknown client certificate ends here)
EXIT_DELIVERY = 6     # the answer does not unwrap under the KEK, or a check value does not match


class DeliveryError(Exception):
    """The delivery cannot be used: wrong KEK, bad key block, check value mismatch. The message holds no key."""


# ---------------------------------------------------------------------------------------------------------------------
# Check values (GlobalPlatform): the first 3 bytes of a known block encrypted under the key.
# ---------------------------------------------------------------------------------------------------------------------

def ecb_encrypt(algorithm, block):
    encryptor = Cipher(algorithm, modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def des_check_value(key):
    """DES/TDES key: TDES-ECB over 8 zero bytes, first 3 bytes (a 16-byte key is K1 K2 K1)."""
    return ecb_encrypt(TripleDES(key), bytes(8))[:3]


def aes_check_value(key):
    """AES key: AES-ECB over 16 bytes of 01, first 3 bytes."""
    return ecb_encrypt(algorithms.AES(key), b"\x01" * 16)[:3]


def check_value(key, algorithm):
    return aes_check_value(key) if algorithm == "AES" else des_check_value(key)


# ---------------------------------------------------------------------------------------------------------------------
# GP cryptograms (GlobalPlatform Card Specification 2.3.1; Amendment D for AES)
# ---------------------------------------------------------------------------------------------------------------------

def unwrap_gp(kek, kek_is_aes, cryptogram, length):
    """3DES-ECB under a TDES KEK; AES-CBC with a zero IV under an AES KEK. The key is the first `length` bytes."""
    if kek_is_aes:
        if len(cryptogram) == 0 or len(cryptogram) % 16:
            raise DeliveryError("the cryptogram is not a whole number of AES blocks")
        decryptor = Cipher(algorithms.AES(kek), modes.CBC(bytes(16))).decryptor()
    else:
        if len(cryptogram) == 0 or len(cryptogram) % 8:
            raise DeliveryError("the cryptogram is not a whole number of DES blocks")
        decryptor = Cipher(TripleDES(kek), modes.ECB()).decryptor()
    clear = decryptor.update(cryptogram) + decryptor.finalize()
    if len(clear) < length:
        raise DeliveryError("the cryptogram is shorter than the announced key length")
    return clear[:length]


# ---------------------------------------------------------------------------------------------------------------------
# TR-31 key blocks, version D (ANSI X9.143: AES key block protection key, key derivation binding)
# ---------------------------------------------------------------------------------------------------------------------

def aes_cmac(key, data):
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def tr31_derive_keys(kbpk):
    """KBEK and KBAK from the KBPK: AES-CMAC(KBPK, counter || usage || 00 || algorithm || bits), X9.143 7.2.1.

    usage 0000 = encryption key (KBEK), 0001 = MAC key (KBAK); algorithm 0002/0003/0004 = AES-128/192/256; one CMAC
    block per counter value from 1, concatenated and cut to the KBPK's length.
    """
    algorithm = {16: 2, 24: 3, 32: 4}[len(kbpk)]
    bits = len(kbpk) * 8
    blocks = (len(kbpk) + 15) // 16

    def derive(usage):
        out = b""
        for counter in range(1, blocks + 1):
            data = bytes([counter]) + usage.to_bytes(2, "big") + b"\x00" + algorithm.to_bytes(2, "big") + bits.to_bytes(2, "big")
            out += aes_cmac(kbpk, data)
        return out[: len(kbpk)]

    return derive(0x0000), derive(0x0001)


def tr31_header_length(block):
    """The length of the header in characters: 16 fixed characters, then the optional blocks (id, length, data)."""
    count = int(block[12:14])
    position = 16
    for _ in range(count):
        length = int(block[position + 2:position + 4], 16)
        if length == 0:
            # Extended length: 2 digits give the length of the length field, which follows in hex.
            size = int(block[position + 4:position + 6], 16)
            length = int(block[position + 6:position + 6 + size], 16)
        if length < 4:
            raise DeliveryError("an optional block of the TR-31 header has a bad length")
        position += length
    return position


def unwrap_tr31(kbpk, block, length):
    """Unwraps a TR-31 version D key block under the AES KBPK; returns the key (as long as announced)."""
    if not block or block[0] != "D":
        raise DeliveryError("expected a TR-31 version D key block (AES KEK), found version %r" % block[:1])
    if len(kbpk) not in (16, 24, 32):
        raise DeliveryError("a version D key block needs an AES KEK")
    try:
        if int(block[1:5]) != len(block):
            raise DeliveryError("the TR-31 length field does not match the block's length")
        header_length = tr31_header_length(block)
        header = block[:header_length].encode("ascii")
        encrypted = bytes.fromhex(block[header_length:-32])
        mac = bytes.fromhex(block[-32:])
    except (ValueError, KeyError, IndexError):
        raise DeliveryError("the TR-31 key block is malformed") from None
    if len(encrypted) < 16 or len(encrypted) % 16:
        raise DeliveryError("the TR-31 encrypted key data is not a whole number of AES blocks")

    kbek, kbak = tr31_derive_keys(kbpk)
    # The key data is AES-CBC encrypted under the KBEK with the MAC as the IV ...
    decryptor = Cipher(algorithms.AES(kbek), modes.CBC(mac)).decryptor()
    clear = decryptor.update(encrypted) + decryptor.finalize()
    # ... and the MAC is AES-CMAC under the KBAK over the header (ASCII) and the clear key data: check it first.
    if not hmac.compare_digest(aes_cmac(kbak, header + clear), mac):
        raise DeliveryError("the TR-31 MAC does not verify: wrong KEK, or the block was altered")
    # Clear key data: a 2-byte key length in bits, the key, padding.
    bits = int.from_bytes(clear[:2], "big")
    if bits % 8 or bits // 8 != length or 2 + length > len(clear):
        raise DeliveryError("the TR-31 key length is not the announced %d bytes" % length)
    return clear[2:2 + length]


# ---------------------------------------------------------------------------------------------------------------------
# Command line, files, the call
# ---------------------------------------------------------------------------------------------------------------------

def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description="Get one card's keys from the TTP (WSGetDiversifiedKeys over mutual TLS), unwrap them under the "
                    "TSM's KEK and check their check values. Prints check values, never keys.",
        epilog="Exit codes: 0 keys received and checked; 2 bad argument or file; 4 the TTP refused (SOAP fault); "
               "5 no answer (connection or TLS handshake failed); 6 the delivery does not unwrap or check.")
    parser.add_argument("--endpoint", required=True, help="https://HOST:7444/soap/v1/KeyDistribution.svc")
    parser.add_argument("--client-cert", required=True, help="PEM certificate registered at the TTP (may hold the key)")
    parser.add_argument("--client-key", help="PEM private key of --client-cert, when not in the same file")
    parser.add_argument("--ca", required=True, help="PEM certificate(s) the TTP's server certificate must chain to")
    parser.add_argument("--kdd", required=True, help="Key Diversification Data, tag CF, hex (10 bytes)")
    parser.add_argument("--e0", required=True, help="Key Information Template, tag E0, hex")
    parser.add_argument("--iin", required=True, help="Issuer Identification Number, tag 42, hex")
    parser.add_argument("--kek-index", required=True, type=int, help="index of the TSM's KEK at the TTP (1-255)")
    parser.add_argument("--kvn", help="key version number (hex, e.g. 30); required when E0 lists several key sets")
    parser.add_argument("--kek-file", required=True, help='JSON {"algorithm": "tdes2|tdes3|aes128|aes192|aes256", "key": "HEX"}')
    parser.add_argument("--soap", choices=sorted(BINDINGS), default="1.1", help="SOAP version (default 1.1)")
    parser.add_argument("--wsdl", default=DEFAULT_WSDL, help="the kit's WSDL file (default: docs/tsm/KeyDistribution.wsdl)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds (default 30)")
    arguments = parser.parse_args(argv)

    for name in ("kdd", "e0", "iin"):
        value = getattr(arguments, name)
        try:
            bytes.fromhex(value)
        except ValueError:
            parser.error("--%s: expected hexadecimal digits" % name.replace("_", "-"))
    if not 1 <= arguments.kek_index <= 255:
        parser.error("--kek-index: expected a number from 1 to 255")
    if arguments.kvn is not None:
        try:
            arguments.kvn = int(arguments.kvn, 16)
        except ValueError:
            parser.error("--kvn: expected a hexadecimal key version number, e.g. 30")
        if not 1 <= arguments.kvn <= 0xFF:
            parser.error("--kvn: expected 01 to FF")
    for name in ("client_cert", "client_key", "ca", "kek_file", "wsdl"):
        path = getattr(arguments, name)
        if path is not None and not os.path.isfile(path):
            parser.error("--%s: no such file: %s" % (name.replace("_", "-"), path))
    return arguments


def load_kek(path):
    """Reads the KEK file; errors name the file and the field, never the content."""
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except ValueError as error:
        raise ValueError("--kek-file: %s is not valid JSON (line %d)" % (path, getattr(error, "lineno", 0))) from None
    if not isinstance(document, dict):
        raise ValueError("--kek-file: expected a JSON object with \"algorithm\" and \"key\"")
    algorithm = document.get("algorithm")
    if algorithm not in KEK_ALGORITHMS:
        raise ValueError("--kek-file: \"algorithm\" must be one of %s" % ", ".join(KEK_ALGORITHMS))
    try:
        key = bytes.fromhex(document.get("key") or "")
    except (TypeError, ValueError):
        raise ValueError("--kek-file: \"key\" is not hexadecimal") from None
    if len(key) != KEK_ALGORITHMS[algorithm]:
        raise ValueError("--kek-file: \"key\" must be %d bytes for %s, found %d" % (KEK_ALGORITHMS[algorithm], algorithm, len(key)))
    return algorithm.startswith("aes"), key


def make_service(arguments):
    """A zeep service from the kit's WSDL file, bound to --endpoint, over mutual TLS trusting only --ca."""
    session = requests.Session()
    # Debian's requests honours REQUESTS_CA_BUNDLE and proxies from the environment, overriding `verify`: not here.
    session.trust_env = False
    session.verify = arguments.ca
    session.cert = (arguments.client_cert, arguments.client_key) if arguments.client_key else arguments.client_cert
    transport = zeep.Transport(session=session, timeout=arguments.timeout, operation_timeout=arguments.timeout)
    # The WSDL comes from the file: nothing is fetched before the call (the file's address is a placeholder).
    client = zeep.Client(wsdl=arguments.wsdl, transport=transport)
    return client.create_service(BINDINGS[arguments.soap], arguments.endpoint)


def fault_text(fault):
    """'Code: Message (RequestId ...)' from the fault's KeyDistributionFault detail (faultstring if there is none)."""
    values = {}
    if fault.detail is not None:
        for element in fault.detail.iter():
            name = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
            if name in ("Code", "Message", "RequestId"):
                values[name] = (element.text or "").strip()
    code = values.get("Code") or fault.code or "Fault"
    message = values.get("Message") or fault.message or ""
    return "%s: %s (RequestId %s)" % (code, message, values.get("RequestId") or "none")


def no_answer_text(endpoint, error):
    """Why there is no answer. A client certificate the TTP does not pin (unknown, not yet approved, retired, expired,
    TSM revoked) is refused in the TLS handshake, so there is no HTTP status: with TLS 1.2 the handshake fails with an
    alert; with TLS 1.3 the client's side of the handshake completes and the server then closes the connection."""
    detail = str(error)
    refused_markers = ("alert", "RemoteDisconnected", "Connection aborted", "ConnectionResetError", "EOF occurred")
    if isinstance(error, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in detail:
        return "the server certificate of %s does not chain to --ca or does not name its host; nothing was sent (%s)" % (endpoint, detail)
    if any(marker in detail for marker in refused_markers):
        return ("the TTP at %s ended the TLS connection without answering: it did not accept the client certificate "
                "(not registered, not approved, retired or revoked?) (%s)" % (endpoint, detail))
    return "no answer from %s (%s)" % (endpoint, detail)


def unwrap_and_check(response, kek_is_aes, kek):
    """Checks the KEK, unwraps each key and checks it. Returns [(usage, key id, algorithm, length, check value)]."""
    expected_kek = aes_check_value(kek) if kek_is_aes else des_check_value(kek)
    if not hmac.compare_digest(bytes.fromhex(response.KekCheckValue or ""), expected_kek):
        raise DeliveryError("the TTP wrapped the keys under KEK %d with check value %s, the --kek-file key has check value %s: "
                            "not the same KEK (wrong --kek-file or --kek-index)"
                            % (response.KekIndex, response.KekCheckValue, expected_kek.hex().upper()))
    results = []
    for delivered in response.Keys.Key:
        if response.Format == "TR31":
            key = unwrap_tr31(kek, delivered.KeyBlock or "", delivered.Length)
        elif response.Format == "GP":
            key = unwrap_gp(kek, kek_is_aes, bytes.fromhex(delivered.Cryptogram or ""), delivered.Length)
        else:
            raise DeliveryError("unknown Format %r, expected TR31 or GP" % response.Format)
        computed = check_value(key, delivered.Algorithm)
        del key  # the key itself is not needed any more (Python cannot zero it; a real TSM unwraps in its HSM)
        if not hmac.compare_digest(computed, bytes.fromhex(delivered.CheckValue or "")):
            raise DeliveryError("%s: the unwrapped key has check value %s, the TTP gives %s"
                                % (delivered.Usage, computed.hex().upper(), delivered.CheckValue))
        results.append((delivered.Usage, delivered.KeyId, delivered.Algorithm, delivered.Length, computed.hex().upper()))
    return results


def main(argv=None):
    arguments = parse_arguments(argv)
    try:
        kek_is_aes, kek = load_kek(arguments.kek_file)
    except (OSError, ValueError) as error:
        print("get_keys: %s" % error, file=sys.stderr)
        return EXIT_USAGE

    try:
        service = make_service(arguments)
    except (OSError, ValueError, zeep.exceptions.Error) as error:
        print("get_keys: --wsdl: cannot load %s (%s)" % (arguments.wsdl, type(error).__name__), file=sys.stderr)
        return EXIT_USAGE

    request = {
        "KeyDiversificationData": arguments.kdd,
        "KeyInformationTemplate": arguments.e0,
        "IssuerIdentificationNumber": arguments.iin,
        "KekIndex": arguments.kek_index,
    }
    if arguments.kvn is not None:
        request["KeyVersionNumber"] = arguments.kvn
    try:
        response = service.WSGetDiversifiedKeys(**request)
    except zeep.exceptions.Fault as fault:
        print(fault_text(fault), file=sys.stderr)
        return EXIT_REFUSED
    except requests.exceptions.RequestException as error:
        print("get_keys: %s" % no_answer_text(arguments.endpoint, error), file=sys.stderr)
        return EXIT_UNREACHABLE
    except zeep.exceptions.TransportError as error:
        print("get_keys: HTTP %s from %s" % (error.status_code, arguments.endpoint), file=sys.stderr)
        return EXIT_UNREACHABLE

    print("RequestId: %s" % response.RequestId)
    print("Scheme: %s, KVN %02X, method %s" % (response.Scheme, response.KeyVersionNumber, response.DiversificationMethod))
    print("Format: %s" % response.Format)
    print("KEK: index %d, check value %s" % (response.KekIndex, response.KekCheckValue))
    try:
        for usage, key_id, algorithm, length, value in unwrap_and_check(response, kek_is_aes, kek):
            print("%s: key id %d, %s, %d bytes, check value %s (matches)" % (usage, key_id, algorithm, length, value))
    except (DeliveryError, ValueError, TypeError) as error:
        print("get_keys: %s" % error, file=sys.stderr)
        return EXIT_DELIVERY
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
