package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password policy. Length is what makes a password strong; composition
// rules only make people write them down. The upper bound keeps a
// multi-megabyte "password" from costing the server more than a login.
const (
	MinPasswordLength = 12 // characters
	maxPasswordBytes  = 1024
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, two passes,
// one lane), which costs tens of milliseconds — slow for a guesser, quick
// for one sign-in. They are stored in each hash, so raising them later
// leaves existing hashes verifiable.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// CheckPassword reports what is wrong with a new password, if anything.
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLength {
		return fmt.Errorf("password is %d characters long; it needs at least %d", n, MinPasswordLength)
	}
	if len(pw) > maxPasswordBytes {
		return fmt.Errorf("password is longer than %d bytes", maxPasswordBytes)
	}
	return nil
}

// HashPassword checks pw against the policy and returns its argon2id hash
// in the PHC string format ("$argon2id$v=19$m=…,t=…,p=…$salt$key").
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("password hash is not in argon2id PHC format")

// VerifyPassword reports whether pw matches hash, comparing in constant
// time. An error means the stored hash is damaged, not that pw is wrong.
func VerifyPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	if len(pw) > maxPasswordBytes {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when a sign-in names no account, so that
// an unknown address costs as much time as a wrong password and response
// times do not reveal which addresses have accounts.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not a real password, only spends time")
	if err != nil {
		panic(err) // the literal satisfies the policy
	}
	return h
})
