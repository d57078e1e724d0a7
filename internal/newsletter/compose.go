package newsletter

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	"text/template"
	"time"

	mail "github.com/wneessen/go-mail"
)

//go:embed templates
var templateFS embed.FS

var (
	htmlMail = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/mail.html.tmpl"))
	textMail = template.Must(template.ParseFS(templateFS, "templates/mail.txt.tmpl"))
	// htmlLayout is only ever cloned, never executed: html/template refuses
	// to clone a set after it has run, and htmlMail runs for every
	// confirmation mail.
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/mail.html.tmpl"))
)

// compiled is a campaign's templates, parsed once per sender run and
// executed per recipient inside the layout that adds the footer links.
type compiled struct {
	c        Campaign
	listName string
	html     *htmltemplate.Template
	text     *template.Template
	issued   time.Time // campaign links carry the start time, so a resend is identical
}

func compileCampaign(c Campaign, listName string) (*compiled, error) {
	h, err := htmlLayout.Clone()
	if err == nil {
		_, err = h.New("body").Parse(c.HTML)
	}
	if err != nil {
		return nil, fmt.Errorf("campaign %d: HTML template: %w", c.ID, err)
	}
	t, err := textMail.Clone()
	if err == nil {
		_, err = t.New("body").Parse(c.Text)
	}
	if err != nil {
		return nil, fmt.Errorf("campaign %d: text template: %w", c.ID, err)
	}
	cc := &compiled{c: c, listName: listName, html: h, text: t, issued: c.CreatedAt}
	if c.StartedAt != nil {
		cc.issued = *c.StartedAt
	}
	return cc, nil
}

// recipient is who a message goes to.
type recipient struct {
	uid, email, name string
}

// MessageID is the Message-ID of a campaign's message to a subscriber
// (without angle brackets). It depends only on the two, so every copy of
// a resent message carries the same one.
func MessageID(campaignUID, subscriberUID, domain string) string {
	return campaignUID + "." + subscriberUID + "@" + domain
}

// render executes the campaign for one recipient.
func (s *Service) render(cc *compiled, r recipient) (RecipientData, string, string, error) {
	d := RecipientData{
		Name: r.name, Email: r.email, Subject: cc.c.Subject, ListName: cc.listName,
		SettingsURL:    s.links.Settings(r.uid, cc.c.ID, cc.issued),
		UnsubscribeURL: s.links.Unsubscribe(r.uid, cc.c.ID, cc.issued),
	}
	var hb, tb bytes.Buffer
	if err := cc.html.ExecuteTemplate(&hb, "layout", d); err != nil {
		return d, "", "", fmt.Errorf("campaign %d: HTML body: %w", cc.c.ID, err)
	}
	if err := cc.text.ExecuteTemplate(&tb, "layout", d); err != nil {
		return d, "", "", fmt.Errorf("campaign %d: text body: %w", cc.c.ID, err)
	}
	return d, hb.String(), tb.String(), nil
}

// campaignMsg builds the message of a campaign to one recipient.
func (s *Service) campaignMsg(cc *compiled, r recipient) (*mail.Msg, error) {
	d, html, text, err := s.render(cc, r)
	if err != nil {
		return nil, err
	}
	m, err := s.newMsg(r, cc.c.Subject, html, text)
	if err != nil {
		return nil, err
	}
	domain := s.cfg.fromDomain()
	m.SetMessageIDWithValue(MessageID(cc.c.UID, r.uid, domain))
	m.SetBulk()
	m.SetGenHeaderPreformatted("List-Id", listID(cc.listName, cc.c.List+"."+domain))
	m.SetGenHeaderPreformatted(mail.HeaderListUnsubscribe, foldURIs(d.UnsubscribeURL, "mailto:"+s.unsubscribeMailbox()+"?subject=unsubscribe"))
	m.SetListUnsubscribePost()
	return m, nil
}

// foldURIs is the value of a List-Unsubscribe header (RFC 2369): each URI
// in angle brackets, folded after the comma so that a line holds one URI.
// go-mail writes such a "preformatted" header as one line, 190 octets and
// more, where RFC 5322 prefers 78. A URI itself is not broken: RFC 2369
// lets readers ignore whitespace inside the brackets, but one-click
// unsubscribe clients are not known to.
func foldURIs(uris ...string) string {
	parts := make([]string, len(uris))
	for i, u := range uris {
		parts[i] = "<" + u + ">"
	}
	return strings.Join(parts, ",\r\n ")
}

func (s *Service) unsubscribeMailbox() string {
	if s.cfg.UnsubscribeMailbox != "" {
		return s.cfg.UnsubscribeMailbox
	}
	return "unsubscribe@" + s.cfg.fromDomain()
}

// newMsg builds a two-part message, or a plain-text one when html is
// empty. A malformed recipient address is a permanent error: no relay will
// take it.
func (s *Service) newMsg(r recipient, subject, html, text string) (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("from address %q: %w", s.cfg.From, err)
	}
	var err error
	if r.name != "" {
		err = m.AddToFormat(r.name, r.email)
	} else {
		err = m.To(r.email)
	}
	if err != nil {
		return nil, &addressError{email: r.email, err: err}
	}
	m.Subject(subject)
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, text)
	if html != "" {
		m.AddAlternativeString(mail.TypeTextHTML, html)
	}
	return m, nil
}

type addressError struct {
	email string
	err   error
}

func (e *addressError) Error() string {
	return fmt.Sprintf("recipient address %q: %v", e.email, e.err)
}

// listID is the value of the List-Id header (RFC 2919): the list's name
// as a phrase, then its id, folded between words. go-mail writes a
// preformatted header as given, and the name went out on one line: a
// long Persian name, MIME-encoded, passed the 76 octets RFC 2047 allows a
// line with encoded words, and could pass the 998 SMTP allows any line.
func listID(name, id string) string {
	return foldWords(append(phraseWords(name), "<"+id+">"), len("List-Id: "))
}

// maxWord is the longest word a phrase is cut into, so that the field
// name and a word fit the 76 octets of RFC 2047 §2 on the first line.
const maxWord = 76 - len("List-Id: ")

// phraseWords is name as the words of a phrase: a quoted string when it
// is printable ASCII (spaces inside it may be folded, RFC 5322 §3.2.4),
// else encoded words (RFC 2047) of at most maxWord octets each, which a
// reader joins back without the space between them. Runs of white space,
// CR and LF among them, become one space.
func phraseWords(name string) []string {
	name = strings.Join(strings.Fields(name), " ")
	ascii := true
	for _, r := range name {
		ascii = ascii && r >= ' ' && r <= '~'
	}
	if ascii {
		words := strings.Split(`"`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)+`"`, " ")
		if !slices.ContainsFunc(words, func(w string) bool { return len(w) > maxWord }) {
			return words
		}
	}
	var words []string
	chunk := ""
	for _, r := range name {
		if chunk != "" && len(qWord(chunk+string(r))) > maxWord {
			words = append(words, qWord(chunk))
			chunk = ""
		}
		chunk += string(r)
	}
	return append(words, qWord(chunk))
}

// qWord is s as one "Q" encoded word that may stand in a phrase: only
// letters, digits and "!*+-/" are left as they are (RFC 2047 §5 (3)).
// The mime package's encoder is for unstructured text: it leaves "," and
// ":" bare, which a phrase cannot hold, and returns a piece of the name
// that is all ASCII unencoded, spaces and all.
func qWord(s string) string {
	var b strings.Builder
	b.WriteString("=?utf-8?q?")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('_')
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("!*+-/", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	b.WriteString("?=")
	return b.String()
}

// foldWords joins words with spaces, and with a fold (CRLF and a space)
// where the line would pass 76 octets; first is the length of the field
// name, colon and space before the first word.
func foldWords(words []string, first int) string {
	var b strings.Builder
	n := first
	for i, w := range words {
		if i > 0 {
			if n+1+len(w) > 76 {
				b.WriteString("\r\n")
				n = 0
			}
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// Preview is a campaign rendered for a sample recipient.
type Preview struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}
