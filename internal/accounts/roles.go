package accounts

import "fmt"

// Role is what a staff member or token may do. Roles are ordered: each
// allows everything the roles below it allow.
type Role string

// The roles, from least to most trusted.
const (
	// Analyst watches outlets, searches coverage, clips quotes and drafts.
	Analyst Role = "analyst"
	// Editor also publishes editions and analyses and sends campaigns.
	Editor Role = "editor"
	// Admin also manages staff accounts and API tokens.
	Admin Role = "admin"
)

// Roles lists the roles from least to most trusted.
var Roles = []Role{Analyst, Editor, Admin}

func (r Role) rank() int {
	switch r {
	case Analyst:
		return 1
	case Editor:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// Allows reports whether r may do what required needs. An unknown role,
// on either side, allows nothing.
func (r Role) Allows(required Role) bool {
	return r.rank() > 0 && required.rank() > 0 && r.rank() >= required.rank()
}

// ParseRole checks a role name as typed on the command line or in a form.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r.rank() == 0 {
		return "", fmt.Errorf("unknown role %q (want analyst, editor or admin)", s)
	}
	return r, nil
}
