package site

import (
	"errors"

	"github.com/pressreview/pressreview/internal/valid"
)

// isValidation reports whether err is a reader's input mistake.
func isValidation(err error) bool {
	var ve *valid.Error
	return errors.As(err, &ve)
}
