package studio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
	"github.com/pressreview/pressreview/internal/web/site"
)

// Images live in the database (posts.SaveImage), where the site resizes
// them for srcset. An upload is checked by its bytes, not by the name or
// type the browser claims: only the formats the site's image pipeline
// reads (and the images table allows) are taken.

// maxImageBytes caps one uploaded file; a photograph for the web is far
// smaller.
const maxImageBytes = 8 << 20

// imageTypes are the sniffed types an upload may have.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true}

type imageRow struct {
	Key, Href, Alt, Caption, Credit string
	Src                             string
	Width, Height                   int
	Type                            string
}

type imagesPage struct {
	Style  string
	Form   form
	Fields map[string]postField
	Saved  string // key of the image just uploaded
	Images []imageRow
}

func uploadForm() form {
	return form{ID: "upload", Action: "/studio/images", Submit: "Upload image", Fields: []field{
		{Name: "data", Label: "Image file", Kind: "file", Required: true,
			Hint: fmt.Sprintf("A JPEG, PNG or GIF of at most %d MB and %d megapixels.", maxImageBytes>>20, posts.MaxImagePixels/1_000_000)},
		{Name: "alt", Label: "Alt text", Kind: "textarea", Size: 2, Required: true, Auto: true,
			Hint: "What the image shows, for readers who cannot see it. An image without alt text is refused."},
		{Name: "caption", Label: "Caption", Auto: true, Hint: "Printed under the image."},
		{Name: "credit", Label: "Credit", Hint: "After the caption: (AP Photo)."},
		{Name: "key", Label: "Key", Hint: "How analyses and events name the image: lower-case letters, digits and hyphens. Left empty, it is made from the file name."},
	}}
}

func (s *studio) imagesPage(r *http.Request, f form) (imagesPage, error) {
	p := imagesPage{Style: s.asset("studio-posts.css"), Form: f, Fields: map[string]postField{}}
	for _, fl := range f.Fields {
		p.Fields[fl.Name] = postField{ID: f.ID + "-" + fl.Name, field: fl}
	}
	list, err := posts.ListImages(r.Context(), s.db)
	if err != nil {
		return p, err
	}
	for _, im := range list {
		p.Images = append(p.Images, imageRow{Key: im.Key, Href: "/studio/images/" + im.Key, Alt: im.Alt,
			Caption: im.Caption, Credit: im.Credit, Src: site.ImagePath(&im, min(480, im.Width)),
			Width: im.Width, Height: im.Height, Type: strings.ToUpper(strings.TrimPrefix(im.ContentType, "image/"))})
	}
	return p, nil
}

func (s *studio) imageList(w http.ResponseWriter, r *http.Request) {
	p, err := s.imagesPage(r, uploadForm())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Saved = r.URL.Query().Get("saved")
	s.render(w, r, http.StatusOK, "Images", "images", p)
}

func (s *studio) imageUpload(w http.ResponseWriter, r *http.Request) {
	f := uploadForm()
	// Room for the file and the text fields beside it.
	r.Body = http.MaxBytesReader(w, r.Body, maxImageBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = valid.Errorf("data", "is larger than %d MB; make it smaller and choose it again (the other fields must be filled in again too)", maxImageBytes>>20)
		} else {
			err = valid.Errorf("data", "the upload could not be read (%v); please try again", err)
		}
		s.refuseUpload(w, r, f, err)
		return
	}
	defer r.MultipartForm.RemoveAll()
	f.fill(r.PostFormValue)
	im, err := readUpload(r, f)
	if err == nil {
		err = s.refuseTaken(r.Context(), "key", "image", func(ctx context.Context) error {
			_, err := posts.ImageMetaByKey(ctx, s.db, im.Key)
			return err
		})
	}
	if err == nil {
		err = posts.SaveImage(r.Context(), s.db, &im)
	}
	if err != nil {
		s.refuseUpload(w, r, f, err)
		return
	}
	http.Redirect(w, r, "/studio/images?saved="+im.Key+"#image-"+im.Key, http.StatusSeeOther)
}

// readUpload reads the posted file and its text; the key defaults to the
// file's name made into a key.
func readUpload(r *http.Request, f form) (posts.Image, error) {
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	im := posts.Image{Key: v("key"), Alt: v("alt"), Caption: v("caption"), Credit: v("credit")}
	file, hdr, err := r.FormFile("data")
	if errors.Is(err, http.ErrMissingFile) {
		return im, valid.Errorf("data", "is required: choose a JPEG, PNG or GIF file")
	}
	if err != nil {
		return im, valid.Errorf("data", "the upload could not be read (%v); please try again", err)
	}
	defer file.Close()
	im.Data, err = io.ReadAll(io.LimitReader(file, maxImageBytes+1))
	if err != nil {
		return im, valid.Errorf("data", "the upload could not be read (%v); please try again", err)
	}
	if len(im.Data) > maxImageBytes {
		return im, valid.Errorf("data", "is larger than %d MB; make it smaller and choose it again", maxImageBytes>>20)
	}
	if len(im.Data) == 0 {
		return im, valid.Errorf("data", "%q is empty", hdr.Filename)
	}
	if ct := http.DetectContentType(im.Data); !imageTypes[ct] {
		return im, valid.Errorf("data", "%q is %s, not a JPEG, PNG or GIF image", hdr.Filename, strings.TrimSuffix(ct, "; charset=utf-8"))
	}
	if im.Key == "" {
		im.Key = valid.Slugify(strings.TrimSuffix(hdr.Filename, path.Ext(hdr.Filename)))
	}
	// Alt text first: it is the field people leave empty, and the
	// domain checks the key before it.
	if valid.Blank(im.Alt) {
		return im, valid.Errorf("alt", "is required: describe what the image shows; an image without alt text is refused")
	}
	return im, nil
}

func (s *studio) refuseUpload(w http.ResponseWriter, r *http.Request, f form, err error) {
	if !f.setError(err) {
		s.fail(w, r, err)
		return
	}
	p, perr := s.imagesPage(r, f)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "Images", "images", p)
}

// Editing an image changes its words, not its picture: a new picture is
// a new upload.

type imagePage struct {
	Style  string
	Image  imageRow
	Form   form
	Fields map[string]postField
	Saved  bool
}

func imageForm(im posts.Image) form {
	return form{ID: "image", Action: "/studio/images/" + im.Key, Submit: "Save image", Fields: []field{
		{Name: "alt", Label: "Alt text", Kind: "textarea", Size: 2, Value: im.Alt, Required: true, Auto: true,
			Hint: "What the image shows, for readers who cannot see it."},
		{Name: "caption", Label: "Caption", Value: im.Caption, Auto: true, Hint: "Printed under the image."},
		{Name: "credit", Label: "Credit", Value: im.Credit, Hint: "After the caption: (AP Photo)."},
	}}
}

func (s *studio) newImagePage(im posts.Image, f form) imagePage {
	p := imagePage{Style: s.asset("studio-posts.css"), Form: f, Fields: map[string]postField{},
		Image: imageRow{Key: im.Key, Alt: im.Alt, Caption: im.Caption, Credit: im.Credit,
			Src: site.ImagePath(&im, min(800, im.Width)), Width: im.Width, Height: im.Height,
			Type: strings.ToUpper(strings.TrimPrefix(im.ContentType, "image/"))}}
	for _, fl := range f.Fields {
		p.Fields[fl.Name] = postField{ID: f.ID + "-" + fl.Name, field: fl}
	}
	return p
}

func (s *studio) imageShow(w http.ResponseWriter, r *http.Request) {
	im, err := posts.ImageMetaByKey(r.Context(), s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	p := s.newImagePage(im, imageForm(im))
	p.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "Image "+im.Key, "image", p)
}

func (s *studio) imageUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	im, err := posts.ImageByKey(ctx, s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	// Alt text, caption and credit print on every page that shows the
	// image: on a public analysis or event, changing them changes what
	// readers see, which takes an editor like any change to public text.
	if !canEdit(r) {
		public, err := imageOnPublicPage(ctx, s.db, im.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if public {
			s.notAllowed(w, r, "This image is on a scheduled or published analysis or event; only an editor can change its words. Ask an editor of the desk.")
			return
		}
	}
	f := imageForm(im)
	f.fill(r.PostFormValue)
	v := func(n string) string { return strings.TrimSpace(f.value(n)) }
	im.Alt, im.Caption, im.Credit = v("alt"), v("caption"), v("credit")
	if err := posts.SaveImage(ctx, s.db, &im); err != nil {
		if !f.setError(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "Image "+im.Key, "image", s.newImagePage(im, f))
		return
	}
	http.Redirect(w, r, "/studio/images/"+im.Key+"?saved=1", http.StatusSeeOther)
}

// imageOnPublicPage reports whether an analysis or event that is not a
// draft shows image id.
func imageOnPublicPage(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `
		SELECT (SELECT COUNT(*) FROM analyses WHERE image_id = ? AND status <> 'draft')
		     + (SELECT COUNT(*) FROM events WHERE image_id = ? AND status <> 'draft')`, id, id).Scan(&n)
	return n > 0, err
}
