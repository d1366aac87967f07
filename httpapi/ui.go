package httpapi

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"molehunt"
)

//go:embed ui/templates/*.html
var templateFS embed.FS

//go:embed ui/static
var staticFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"pct":   func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
	"score": func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) },
}).ParseFS(templateFS, "ui/templates/*.html"))

// routeUI adds the console's pages. They are server-rendered and work
// without script; names typed into the screening form travel in the POST
// body, never in the URL.
func (s *Server) routeUI(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "ui/static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.FS(static))))
	mux.HandleFunc("GET /{$}", s.pageScreen)
	mux.HandleFunc("GET /screen", s.pageScreen)
	mux.HandleFunc("POST /screen", s.pageScreen)
}

type screenPage struct {
	Title   string
	Lists   []molehunt.ListInfo
	Ready   bool
	Name    string
	Type    string
	DOB     string
	Country string
	Ran     bool
	Result  molehunt.ScreenResult
	Error   string
}

func (s *Server) pageScreen(w http.ResponseWriter, r *http.Request) {
	p := screenPage{Title: "Screening"}
	if s.Lists != nil {
		p.Lists, p.Ready = s.Lists.Lists(), s.Lists.Ready()
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			p.Error = "The form could not be read."
			status = http.StatusBadRequest
		} else {
			p.Name = strings.TrimSpace(r.PostForm.Get("name"))
			p.Type = r.PostForm.Get("type")
			p.DOB = strings.TrimSpace(r.PostForm.Get("dob"))
			p.Country = strings.TrimSpace(r.PostForm.Get("country"))
			q := molehunt.ScreenQuery{Names: []string{p.Name}}
			switch p.Type {
			case "person":
				q.Type = molehunt.EntityPerson
			case "company":
				q.Type = molehunt.EntityOrganization
			}
			if p.DOB != "" {
				q.BirthDates = []string{p.DOB}
			}
			if p.Country != "" {
				q.Countries = []string{p.Country}
			}
			switch {
			case p.Name == "":
				p.Error = "Type a name to screen."
				status = http.StatusBadRequest
			case s.Screener == nil || !p.Ready:
				p.Error = "No sanctions list is loaded yet; try again in a moment."
				status = http.StatusServiceUnavailable
			default:
				res, err := s.Screener.Screen(r.Context(), q)
				if err != nil {
					p.Error = molehunt.ErrorMessageOf(err)
					status = statusOf(molehunt.ErrorCodeOf(err))
				} else {
					p.Ran, p.Result = true, res
				}
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, "screen.html", p); err != nil {
		s.Logger.Error("render screen page", "err", err)
	}
}
