"""A private certificate authority so the sandbox serves real HTTPS on loopback.

Why: the shops speak HTTPS only (WooCommerce even refuses consumer keys in
Basic auth or the query string over plain HTTP, docs ``_authentication.md``),
so clients must be tested with TLS verification *on*, trusting a CA we
generate once per certificate directory, shared by every sandbox. The CA file is created
atomically (``os.link`` refuses to overwrite), so parallel test workers
sharing a directory all end up trusting the same CA. The server
certificate is issued afresh for each start, for the host served.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CertificateAuthority", "default_cert_dir"]

_CA_BUNDLE = "ca-with-key.pem"  # certificate + private key, never handed to clients
_CA_CERT = "ca.pem"  # what clients trust


def default_cert_dir(platform: str, state_file: Path | None = None) -> Path:
    """Where a sandbox keeps its CA when told nothing: beside its state file, else
    in the user's cache, never in the working directory (a checkout stays clean)."""
    if state_file is not None:
        return Path(state_file).parent / f"{platform}-sandbox-certs"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "passerelle" / f"{platform}-sandbox-certs"


def _write_once(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` unless it exists (atomic, race-free)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


class CertificateAuthority:
    """Loads (or creates once) the CA in ``cert_dir`` and issues server certificates."""

    def __init__(self, cert_dir: Path) -> None:
        self.cert_dir = cert_dir
        cert_dir.mkdir(parents=True, exist_ok=True)
        bundle = cert_dir / _CA_BUNDLE
        if not bundle.exists():
            _write_once(bundle, self._new_ca())
        raw = bundle.read_bytes()
        self.key = serialization.load_pem_private_key(raw, password=None)
        self.cert = x509.load_pem_x509_certificate(raw)
        ca_pem = self.cert.public_bytes(serialization.Encoding.PEM)
        ca_path = cert_dir / _CA_CERT
        if not ca_path.exists() or ca_path.read_bytes() != ca_pem:
            fd, tmp = tempfile.mkstemp(dir=cert_dir, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(ca_pem)
            os.replace(tmp, ca_path)
        self.ca_path = ca_path

    @staticmethod
    def _new_ca() -> bytes:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "passerelle sandbox"),
                x509.NameAttribute(NameOID.COMMON_NAME, "passerelle sandbox CA"),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cert.public_bytes(serialization.Encoding.PEM) + key_pem

    def server_context(self, host: str) -> ssl.SSLContext:
        """An SSL context serving a fresh leaf certificate for ``host`` (+ localhost)."""
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
        try:
            address = ipaddress.ip_address(host)
            if str(address) != "127.0.0.1":
                names.append(x509.IPAddress(address))
        except ValueError:
            if host != "localhost":
                names.append(x509.DNSName(host))
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    self.key.public_key()  # type: ignore[arg-type]
                ),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())  # type: ignore[arg-type]
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # load_cert_chain only reads files: write the pair to a private temp file.
        fd, tmp = tempfile.mkstemp(prefix="sandbox-leaf-", suffix=".pem")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(cert.public_bytes(serialization.Encoding.PEM))
                handle.write(
                    key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                )
            context.load_cert_chain(tmp)
        finally:
            os.unlink(tmp)
        return context
