package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs the program with args and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"screen without a name", []string{"screen", "--data", t.TempDir()}, exitUsage},
		{"bad flag", []string{"screen", "--bogus", "x"}, exitUsage},
		{"bad type", []string{"screen", "x", "--type", "martian"}, exitUsage},
		{"bad threshold", []string{"screen", "x", "--threshold", "1.5"}, exitUsage},
		{"version", []string{"version"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := run(t, "", tc.args...); code != tc.want {
				t.Fatalf("exit %d; want %d\n%s", code, tc.want, stderr)
			}
		})
	}
}

func TestScreenOneName(t *testing.T) {
	data := t.TempDir()
	code, out, stderr := run(t, "", "screen", "Kim Jong Un", "--type", "person", "--json", "--data", data)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res struct {
		Matches []struct {
			ID      string `json:"id"`
			IsMatch bool   `json:"match"`
		} `json:"matches"`
		Lists []struct{ Name, Version string } `json:"lists"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if len(res.Matches) == 0 || !res.Matches[0].IsMatch || len(res.Lists) == 0 {
		t.Fatalf("got %s; want a match and list versions", out)
	}
	if code, _, _ := run(t, "", "screen", "Kim Jong Un", "--fail-on-match", "--data", data); code != exitMatch {
		t.Fatalf("--fail-on-match with a hit: exit %d; want %d", code, exitMatch)
	}
	if code, _, _ := run(t, "", "screen", "Margaret Thistlewood", "--fail-on-match", "--data", data); code != exitOK {
		t.Fatalf("--fail-on-match without a hit: exit %d; want 0", code)
	}
	code, out, _ = run(t, "", "screen", "--data", data, "Kim Jong Un")
	if code != exitOK || !strings.Contains(out, "MATCH") || !strings.Contains(out, "why") {
		t.Fatalf("table output: exit %d\n%s", code, out)
	}
}

func TestScreenFile(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	csvPath := filepath.Join(dir, "people.csv")
	os.WriteFile(csvPath, []byte("id,name,type,dob\n1,Kim Jong Un,person,1984\n2,,person,\n3,Margaret Thistlewood,martian,\n4,Margaret Thistlewood,person,\n"), 0o644)
	code, out, stderr := run(t, "", "screen", "--file", csvPath, "--data", data)
	if code != exitError {
		t.Fatalf("exit %d; want 1 for rejected records\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "line 3") || !strings.Contains(stderr, "name") || !strings.Contains(stderr, "line 4") || !strings.Contains(stderr, "type") {
		t.Errorf("stderr %q; want the bad records named by line and field", stderr)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	var sawKim, sawFour bool
	for _, r := range rows[1:] {
		if strings.HasPrefix(r, "2,1,") && strings.Contains(r, ",true,") {
			sawKim = true
		}
		if strings.HasPrefix(r, "5,4,") {
			sawFour = true
		}
	}
	if !sawKim || !sawFour {
		t.Errorf("output lost accepted records:\n%s", out)
	}

	jsonlPath := filepath.Join(dir, "people.jsonl")
	os.WriteFile(jsonlPath, []byte(`{"id": "a", "name": "Kim Jong Un", "type": "person"}`+"\n"+`{"id": "b", "name": "Margaret Thistlewood"}`+"\n"), 0o644)
	code, out, stderr = run(t, "", "screen", "--file", jsonlPath, "--json", "--fail-on-match", "--data", data)
	if code != exitMatch {
		t.Fatalf("exit %d; want 3\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d JSON lines; want 2\n%s", len(lines), out)
	}
}

func TestListsUpdateRefusesBadFileAndKeepsServing(t *testing.T) {
	data, src := t.TempDir(), t.TempDir()
	code, before, stderr := run(t, "", "lists", "--json", "--data", data)
	if code != exitOK {
		t.Fatalf("lists: exit %d\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(src, "consolidated.xml"), []byte("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>"), 0o644)
	code, out, _ := run(t, "", "lists", "update", "--from", src, "--data", data)
	if code != exitError || !strings.Contains(out, "refused") {
		t.Fatalf("update with a truncated list: exit %d; want 1 and a refusal\n%s", code, out)
	}
	code, after, _ := run(t, "", "lists", "--json", "--data", data)
	if code != exitOK {
		t.Fatal("lists after a refused update failed")
	}
	var b, a struct{ Lists []struct{ Name, Hash string } }
	json.Unmarshal([]byte(before), &b)
	json.Unmarshal([]byte(after), &a)
	if len(a.Lists) == 0 || len(a.Lists) != len(b.Lists) {
		t.Fatalf("lists before %v, after %v", b.Lists, a.Lists)
	}
	for i := range a.Lists {
		if a.Lists[i] != b.Lists[i] {
			t.Errorf("list %s changed after a refused update", a.Lists[i].Name)
		}
	}
}

func TestServeEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	var stderr bytes.Buffer
	m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now, Listening: listening}
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--refresh", "0"})
	}()
	var addr string
	select {
	case addr = <-listening:
	case code := <-done:
		t.Fatalf("serve exited %d\n%s", code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Post("http://"+addr+"/v1/screen", "application/json", strings.NewReader(`{"queries":{"q":{"schema":"Person","properties":{"name":["Kim Jong Un"]}}}}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /v1/screen: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("serve exited %d after cancel\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestListsUpdateURLOverride(t *testing.T) {
	if code, _, stderr := run(t, "", "lists", "update", "--data", t.TempDir(), "--url", "un_sc/nothing.xml=https://x"); code != exitUsage || !strings.Contains(stderr, "not a file") {
		t.Fatalf("bad --url: exit %d; want 2 naming the file\n%s", code, stderr)
	}
	got, err := parseURLOverrides([]string{"un_sc/consolidated.xml=http://127.0.0.1:1/un.xml"})
	if err != nil || got["un_sc"]["consolidated.xml"] != "http://127.0.0.1:1/un.xml" {
		t.Fatalf("parseURLOverrides: %v, %v", got, err)
	}
}
