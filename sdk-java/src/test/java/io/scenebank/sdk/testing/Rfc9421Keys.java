package io.scenebank.sdk.testing;

/**
 * The example keys of RFC 9421 Appendix B.1 (published for testing only), as given in the RFC's
 * source text (draft-ietf-httpbis-message-signatures, Appendix "Example Keys").
 */
public final class Rfc9421Keys {

  private Rfc9421Keys() {}

  /** B.1.2 test-key-rsa-pss: PKCS#8 with the id-RSASSA-PSS algorithm identifier. */
  public static final String RSA_PSS_PRIVATE =
      String.join(
          "\n",
          "-----BEGIN PRIVATE KEY-----",
          "MIIEvgIBADALBgkqhkiG9w0BAQoEggSqMIIEpgIBAAKCAQEAr4tmm3r20Wd/Pbqv",
          "P1s2+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry5",
          "3mm+oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7Oyr",
          "FAHqgDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUA",
          "AN5WUtzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw",
          "9lq4aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oy",
          "c6XI2wIDAQABAoIBAQCUB8ip+kJiiZVKF8AqfB/aUP0jTAqOQewK1kKJ/iQCXBCq",
          "pbo360gvdt05H5VZ/RDVkEgO2k73VSsbulqezKs8RFs2tEmU+JgTI9MeQJPWcP6X",
          "aKy6LIYs0E2cWgp8GADgoBs8llBq0UhX0KffglIeek3n7Z6Gt4YFge2TAcW2WbN4",
          "XfK7lupFyo6HHyWRiYHMMARQXLJeOSdTn5aMBP0PO4bQyk5ORxTUSeOciPJUFktQ",
          "HkvGbym7KryEfwH8Tks0L7WhzyP60PL3xS9FNOJi9m+zztwYIXGDQuKM2GDsITeD",
          "2mI2oHoPMyAD0wdI7BwSVW18p1h+jgfc4dlexKYRAoGBAOVfuiEiOchGghV5vn5N",
          "RDNscAFnpHj1QgMr6/UG05RTgmcLfVsI1I4bSkbrIuVKviGGf7atlkROALOG/xRx",
          "DLadgBEeNyHL5lz6ihQaFJLVQ0u3U4SB67J0YtVO3R6lXcIjBDHuY8SjYJ7Ci6Z6",
          "vuDcoaEujnlrtUhaMxvSfcUJAoGBAMPsCHXte1uWNAqYad2WdLjPDlKtQJK1diCm",
          "rqmB2g8QE99hDOHItjDBEdpyFBKOIP+NpVtM2KLhRajjcL9Ph8jrID6XUqikQuVi",
          "4J9FV2m42jXMuioTT13idAILanYg8D3idvy/3isDVkON0X3UAVKrgMEne0hJpkPL",
          "FYqgetvDAoGBAKLQ6JZMbSe0pPIJkSamQhsehgL5Rs51iX4m1z7+sYFAJfhvN3Q/",
          "OGIHDRp6HjMUcxHpHw7U+S1TETxePwKLnLKj6hw8jnX2/nZRgWHzgVcY+sPsReRx",
          "NJVf+Cfh6yOtznfX00p+JWOXdSY8glSSHJwRAMog+hFGW1AYdt7w80XBAoGBAImR",
          "NUugqapgaEA8TrFxkJmngXYaAqpA0iYRA7kv3S4QavPBUGtFJHBNULzitydkNtVZ",
          "3w6hgce0h9YThTo/nKc+OZDZbgfN9s7cQ75x0PQCAO4fx2P91Q+mDzDUVTeG30mE",
          "t2m3S0dGe47JiJxifV9P3wNBNrZGSIF3mrORBVNDAoGBAI0QKn2Iv7Sgo4T/XjND",
          "dl2kZTXqGAk8dOhpUiw/HdM3OGWbhHj2NdCzBliOmPyQtAr770GITWvbAI+IRYyF",
          "S7Fnk6ZVVVHsxjtaHy1uJGFlaZzKR4AGNaUTOJMs6NadzCmGPAxNQQOCqoUjn4XR",
          "rOjr9w349JooGXhOxbu8nOxX",
          "-----END PRIVATE KEY-----");

  /** B.1.2 test-key-rsa-pss: SubjectPublicKeyInfo (rsaEncryption). */
  public static final String RSA_PSS_PUBLIC =
      String.join(
          "\n",
          "-----BEGIN PUBLIC KEY-----",
          "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2",
          "+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+",
          "oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq",
          "gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W",
          "Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4",
          "aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI",
          "2wIDAQAB",
          "-----END PUBLIC KEY-----");

  /** B.1.3 test-key-ecc-p256: SEC 1 private key. */
  public static final String ECC_P256_PRIVATE =
      String.join(
          "\n",
          "-----BEGIN EC PRIVATE KEY-----",
          "MHcCAQEEIFKbhfNZfpDsW43+0+JjUr9K+bTeuxopu653+hBaXGA7oAoGCCqGSM49",
          "AwEHoUQDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lfw0EkjqF7xB4FivAxzic30tMM",
          "4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==",
          "-----END EC PRIVATE KEY-----");

  /** B.1.3 test-key-ecc-p256: SubjectPublicKeyInfo. */
  public static final String ECC_P256_PUBLIC =
      String.join(
          "\n",
          "-----BEGIN PUBLIC KEY-----",
          "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf",
          "w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==",
          "-----END PUBLIC KEY-----");

  /** B.1.3 test-key-ecc-p256 as a public JWK. */
  public static final String ECC_P256_JWK =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"test-key-ecc-p256\","
          + "\"x\":\"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\","
          + "\"y\":\"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0\"}";

  /** B.1.4 test-key-ed25519: PKCS#8 private key. */
  public static final String ED25519_PRIVATE =
      String.join(
          "\n",
          "-----BEGIN PRIVATE KEY-----",
          "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF",
          "-----END PRIVATE KEY-----");

  /** B.1.4 test-key-ed25519: SubjectPublicKeyInfo. */
  public static final String ED25519_PUBLIC =
      String.join(
          "\n",
          "-----BEGIN PUBLIC KEY-----",
          "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=",
          "-----END PUBLIC KEY-----");

  /** B.1.4 test-key-ed25519 as a public JWK. */
  public static final String ED25519_JWK =
      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"test-key-ed25519\","
          + "\"x\":\"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs\"}";
}
