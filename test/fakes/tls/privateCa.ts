/**
 * A private certificate authority trusted nowhere else, and a service certificate it signed, for the test's TLS
 * services. Made with openssl (P-256, valid a century; the authority's key was thrown away): `req -x509` for the
 * authority, then `x509 -req` signing the service's certificate for 127.0.0.1, localhost and
 * *.oss-cn-hangzhou.aliyuncs.com (ali-oss names the bucket's virtual host in the Host header when its endpoint is an
 * IP address, and the connection checks the certificate against that name). Kept as text so that the bundled
 * integration suites carry them too.
 */
export const privateCaCert = `-----BEGIN CERTIFICATE-----
MIIBsjCCAVegAwIBAgIUb8IQKIYaPCeXpf0jBLE6pvWSKWAwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwaZGItdGlja2V0cyB0ZXN0IHByaXZhdGUgQ0EwIBcNMjYxMjAy
MjA0MDQyWhgPMjEyNjExMDgyMDQwNDJaMCUxIzAhBgNVBAMMGmRiLXRpY2tldHMg
dGVzdCBwcml2YXRlIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY1psrbe1
cWf60/RfTNsfYPk3WjG1kfVgMygcVIQyInjIwRQ75smXJBU9Iz1FuVrctlaJ5Pcn
NtYdWWBXsQvwJ6NjMGEwHQYDVR0OBBYEFHqUR6NHdDcpfB3RaXri9SIqPHXIMB8G
A1UdIwQYMBaAFHqUR6NHdDcpfB3RaXri9SIqPHXIMA8GA1UdEwEB/wQFMAMBAf8w
DgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0kAMEYCIQCcgDrzBFf0IWKtkORs
NGjvkrcsADzgayZvDCocYXZtHgIhANy2lK4FUi4leiMBIi7YQrB9ewvC0AGw02b2
t5kVPKaB
-----END CERTIFICATE-----
`;

export const serviceCert = `-----BEGIN CERTIFICATE-----
MIIB6jCCAZGgAwIBAgIUXGAQdX4Os0Ws55ZF8eGofK1M3FAwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwaZGItdGlja2V0cyB0ZXN0IHByaXZhdGUgQ0EwIBcNMjYxMjAy
MjA0MDQzWhgPMjEyNjExMDgyMDQwNDNaMCIxIDAeBgNVBAMMF2RiLXRpY2tldHMg
dGVzdCBzZXJ2aWNlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEr6KUDDeQTNS6
i4fdVB9W8w7FZ/a8I7kPSDxO+j6n7KqeAryCdDBxILwUEzHzI4zHMYkZVKnDLW/O
i6COT0WB3aOBnzCBnDA6BgNVHREEMzAxhwR/AAABgglsb2NhbGhvc3SCHioub3Nz
LWNuLWhhbmd6aG91LmFsaXl1bmNzLmNvbTAJBgNVHRMEAjAAMBMGA1UdJQQMMAoG
CCsGAQUFBwMBMB0GA1UdDgQWBBQhTSmA5oaJqqeEvNkkRE/jwYDFRjAfBgNVHSME
GDAWgBR6lEejR3Q3KXwd0Wl64vUiKjx1yDAKBggqhkjOPQQDAgNHADBEAiBgErIZ
e9Gl7QCMW9wcRKHFqezNkitvfMcmPkAzaeQhIgIgMTS4lVLLdU2CdElzZVipZIhR
+lkbluKD5UU7sDvA8hg=
-----END CERTIFICATE-----
`;

export const serviceKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaWyP+6d+lxQsdQQG
wcG1moSsm1jTjcuue+QKknTbPpqhRANCAASvopQMN5BM1LqLh91UH1bzDsVn9rwj
uQ9IPE76Pqfsqp4CvIJ0MHEgvBQTMfMjjMcxiRlUqcMtb86LoI5PRYHd
-----END PRIVATE KEY-----
`;
