#!/usr/bin/env python3
"""Verify an export of `ttpctl audit export --format jsonl` with the audit signing key's public key alone.

Written from docs/OPERATIONS.md ("Verifying an export") only, with Python's standard library and the `cryptography`
package: an auditor's own tool, independent of the TTP's software. No database, no LMK, no TTP secret.

    python3 scripts/verify-audit-export.py EXPORT.jsonl audit-signing-key.pem

Exit 0 and one line "OK: ..." when every record and checkpoint verifies and every record is covered by a checkpoint;
exit 1 and one line "FAIL line N: ..." on stderr at the first problem.
"""
import hashlib
import json
import struct
import sys
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

STREAMS = {"StaffAction": 1, "KeyRequest": 2}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Failure(Exception):
    pass


def microseconds(text):
    """occurred_at (yyyy-MM-ddTHH:mm:ss.ffffffZ) as integer microseconds since 1970-01-01T00:00:00Z."""
    delta = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc) - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def canonical(record):
    out = bytearray(b"\x01")
    out += struct.pack(">qqi", record["sequence"], microseconds(record["occurred_at"]), STREAMS[record["stream"]])
    for name in ("action", "actor", "subject", "outcome", "details"):
        text = record[name].encode("utf-8")
        out += struct.pack(">I", len(text)) + text
    return bytes(out)


def payload(checkpoint):
    return (
        "ttp-audit-checkpoint-v1\n"
        f"sequence={checkpoint['sequence']}\n"
        f"chain_hash={checkpoint['chain_hash']}\n"
        f"time={checkpoint['time']}\n"
        f"previous={checkpoint['previous']}\n"
        f"hmac_through={checkpoint['hmac_through']}\n"
        f"key_id={checkpoint['key_id']}\n"
    ).encode("utf-8")


def verify(export_path, key_path):
    with open(key_path, "rb") as pem:
        key = serialization.load_pem_public_key(pem.read())
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise Failure("the public key is not an ECDSA P-256 key")
    key_id = hashlib.sha256(
        key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).hexdigest()

    previous_hash = None     # chain hash of the last record read (or of chain_start)
    position = None          # its sequence
    hmac_through = None      # records up to here are HMAC-chained: not recomputable without the TTP's key
    last_checkpoint = None   # SHA-256 of the previous checkpoint's payload (hex)
    covered = -1             # sequence of the last checkpoint
    first = None
    matched = 0              # records marked "match": true (an export of a filter)
    with open(export_path, encoding="utf-8") as export:
        for number, line in enumerate(export, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if previous_hash is None:
                    start = item["chain_start"]
                    previous_hash, position, hmac_through = bytes.fromhex(start["hash"]), start["sequence"], start["hmac_through"]
                    first = position + 1
                elif "checkpoint" in item:
                    c = item["checkpoint"]
                    if c["key_id"] != key_id:
                        raise Failure(f"checkpoint {c['sequence']} names another signing key")
                    try:
                        key.verify(bytes.fromhex(c["signature"]), payload(c), ec.ECDSA(hashes.SHA256()))
                    except InvalidSignature:
                        raise Failure(f"the signature of checkpoint {c['sequence']} does not verify")
                    if last_checkpoint is not None and c["previous"] != last_checkpoint:
                        raise Failure(f"checkpoint {c['sequence']} does not link to the checkpoint before it")
                    if c["hmac_through"] != hmac_through:
                        raise Failure(f"checkpoint {c['sequence']} names another HMAC transition")
                    if c["sequence"] != position or bytes.fromhex(c["chain_hash"]) != previous_hash:
                        raise Failure(f"the chain at record {position} does not match checkpoint {c['sequence']}")
                    last_checkpoint = hashlib.sha256(payload(c)).hexdigest()
                    covered = c["sequence"]
                else:
                    if item["sequence"] != position + 1:
                        raise Failure(f"record {position + 1} is missing")
                    record_hash = bytes.fromhex(item["hash"])
                    if item["sequence"] > hmac_through and hashlib.sha256(previous_hash + canonical(item)).digest() != record_hash:
                        raise Failure(f"record {item['sequence']} does not match its hash")
                    previous_hash, position = record_hash, item["sequence"]
                    if "match" in item:
                        if item["match"] is not True:
                            raise Failure(f"record {item['sequence']}: match is not true")
                        matched += 1
            except (KeyError, ValueError, TypeError) as error:
                raise Failure(f"line {number} is not a line of an export ({error})")
            except Failure as failure:
                raise Failure(f"line {number}: {failure}")
    if previous_hash is None:
        raise Failure("no chain_start line")
    if position > covered:
        raise Failure(f"records {covered + 1} to {position} are not covered by a checkpoint")
    marks = f"; {matched} marked as matching the filter" if matched else ""
    return f"OK: records {first} to {position}, the last checkpoint at {covered}; records up to {hmac_through} are HMAC-chained{marks}"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: verify-audit-export.py EXPORT.jsonl PUBLIC-KEY.pem")
    try:
        print(verify(sys.argv[1], sys.argv[2]))
    except Failure as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        sys.exit(1)
