package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
)

// The variables that name the first admin.
const (
	EnvAdminEmail    = "PRESSREVIEW_ADMIN_EMAIL"
	EnvAdminPassword = "PRESSREVIEW_ADMIN_PASSWORD"
)

// BootstrapAdmin makes sure the admin named by PRESSREVIEW_ADMIN_EMAIL and
// PRESSREVIEW_ADMIN_PASSWORD (read through getenv, normally os.Getenv)
// exists, is enabled, is an admin and has that password. It does nothing
// when neither is set, and leaves a matching account untouched so that
// restarting instances does not end the admin's sessions. Call it at
// start, after migrating.
func BootstrapAdmin(ctx context.Context, db *store.DB, getenv func(string) string) error {
	email, password := getenv(EnvAdminEmail), getenv(EnvAdminPassword)
	switch {
	case email == "" && password == "":
		return nil
	case email == "" || password == "":
		return fmt.Errorf("%s and %s must be set together", EnvAdminEmail, EnvAdminPassword)
	}
	if err := CheckPassword(password); err != nil {
		return fmt.Errorf("%s: %w", EnvAdminPassword, err)
	}
	u, err := UserByEmail(ctx, db, email)
	if errors.Is(err, store.ErrNotFound) {
		_, err = CreateUser(ctx, db, NewUser{Email: email, Name: "Administrator", Role: Admin, Password: password})
		if !errors.Is(err, ErrEmailTaken) {
			return wrapEnv(err)
		}
		// Another instance created it just now; check it like any other.
		u, err = UserByEmail(ctx, db, email)
	}
	if err != nil {
		return wrapEnv(err)
	}
	if u.Role != Admin {
		if err := SetRole(ctx, db, email, Admin); err != nil {
			return wrapEnv(err)
		}
	}
	if u.Disabled {
		if err := SetDisabled(ctx, db, email, false); err != nil {
			return wrapEnv(err)
		}
	}
	if ok, err := VerifyPassword(u.passwordHash, password); err != nil || !ok {
		return wrapEnv(SetPassword(ctx, db, email, password))
	}
	return nil
}

func wrapEnv(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("admin from %s: %w", EnvAdminEmail, err)
}
