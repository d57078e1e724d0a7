package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// User is a staff account.
type User struct {
	ID          int64
	Email       string // lower-case
	Name        string
	Role        Role
	Disabled    bool
	LastLoginAt *time.Time
	CreatedAt   time.Time

	passwordHash string
	sessionEpoch int64
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email, Name string
	Role        Role
	Password    string
}

// ErrEmailTaken is returned when another account has the address.
var ErrEmailTaken = errors.New("an account with this email already exists")

// NormalizeEmail is the form addresses are stored and looked up in:
// trimmed and lower-cased, so "Ana@Example.org" and "ana@example.org" are
// one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkEmail(email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return valid.Errorf("email", "%q is not a plain email address (as in name@example.org)", email)
	}
	return nil
}

// CreateUser adds an account.
func CreateUser(ctx context.Context, q store.Querier, nu NewUser) (User, error) {
	email := NormalizeEmail(nu.Email)
	if err := checkEmail(email); err != nil {
		return User{}, err
	}
	name := strings.TrimSpace(nu.Name)
	if name == "" {
		return User{}, valid.Errorf("name", "is required")
	}
	if _, err := ParseRole(string(nu.Role)); err != nil {
		return User{}, valid.Errorf("role", "%v", err)
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return User{}, valid.Errorf("password", "%v", err)
	}
	now := time.Now().UTC()
	var id int64
	err = q.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO NOTHING
		RETURNING id`, email, name, nu.Role, hash, now, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("create user %s: %w", email, ErrEmailTaken)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", email, err)
	}
	return User{ID: id, Email: email, Name: name, Role: nu.Role, CreatedAt: now, passwordHash: hash}, nil
}

const userColumns = `id, email, name, role, password_hash, session_epoch, disabled_at, last_login_at, created_at`

func scanUser(s interface{ Scan(...any) error }) (User, error) {
	var u User
	var disabled, lastLogin sql.NullTime
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.passwordHash, &u.sessionEpoch, &disabled, &lastLogin, &u.CreatedAt)
	if err != nil {
		return User{}, err
	}
	u.Disabled = disabled.Valid
	if lastLogin.Valid {
		t := lastLogin.Time.UTC()
		u.LastLoginAt = &t
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

func userWhere(ctx context.Context, q store.Querier, what string, cond string, arg any) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("user %s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", what, err)
	}
	return u, nil
}

// UserByEmail finds an account by address, in any case. It returns
// store.ErrNotFound when none has it.
func UserByEmail(ctx context.Context, q store.Querier, email string) (User, error) {
	email = NormalizeEmail(email)
	return userWhere(ctx, q, email, `email = ?`, email)
}

// UserByID finds an account by id.
func UserByID(ctx context.Context, q store.Querier, id int64) (User, error) {
	return userWhere(ctx, q, fmt.Sprint(id), `id = ?`, id)
}

// ListUsers returns every account, by email.
func ListUsers(ctx context.Context, q store.Querier) ([]User, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// updateUser runs one UPDATE on the account with email and reports
// store.ErrNotFound when there is none.
func updateUser(ctx context.Context, q store.Querier, email, what, set string, args ...any) error {
	email = NormalizeEmail(email)
	args = append(append(args, time.Now().UTC()), email)
	res, err := q.ExecContext(ctx, `UPDATE users SET `+set+`, updated_at = ? WHERE email = ?`, args...)
	if err != nil {
		return fmt.Errorf("%s of %s: %w", what, email, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s of %s: %w", what, email, err)
	} else if n == 0 {
		return fmt.Errorf("%s: no user %s: %w", what, email, store.ErrNotFound)
	}
	return nil
}

// SetRole changes what an account may do. It takes effect on the
// account's next request, on every instance: the middleware reads the role
// from the database each time.
func SetRole(ctx context.Context, q store.Querier, email string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return valid.Errorf("role", "%v", err)
	}
	return updateUser(ctx, q, email, "set role", `role = ?`, role)
}

// SetPassword replaces an account's password and ends its sessions.
func SetPassword(ctx context.Context, q store.Querier, email, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return valid.Errorf("password", "%v", err)
	}
	return updateUser(ctx, q, email, "set password", `password_hash = ?, session_epoch = session_epoch + 1`, hash)
}

// SetDisabled disables an account, ending its sessions, or enables it
// again. A disabled account cannot sign in.
func SetDisabled(ctx context.Context, q store.Querier, email string, disabled bool) error {
	if !disabled {
		return updateUser(ctx, q, email, "enable", `disabled_at = NULL`)
	}
	return updateUser(ctx, q, email, "disable", `disabled_at = ?, session_epoch = session_epoch + 1`, time.Now().UTC())
}
