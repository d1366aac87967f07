package gen

// app is a program as osquery's programs (Windows) or apps (macOS) table
// reports it, with the process it runs as.
type app struct {
	name, version, publisher string
	bundle                   string // macOS bundle identifier
	macPath, winPath         string // install location
	proc, procWin            string // process name
	cmdMac, cmdWin           string // process path
	rmm                      bool
}

var commonApps = []app{
	{name: "Google Chrome", version: "133.0.6943.142", publisher: "Google LLC", bundle: "com.google.Chrome", macPath: "/Applications/Google Chrome.app", winPath: `C:\Program Files\Google\Chrome\Application\`, proc: "Google Chrome", procWin: "chrome.exe"},
	{name: "Slack", version: "4.41.105", publisher: "Slack Technologies, LLC", bundle: "com.tinyspeck.slackmacgap", macPath: "/Applications/Slack.app", winPath: `C:\Users\Public\AppData\Local\slack\`, proc: "Slack", procWin: "slack.exe"},
	{name: "zoom.us", version: "6.3.11", publisher: "Zoom Video Communications, Inc.", bundle: "us.zoom.xos", macPath: "/Applications/zoom.us.app", winPath: `C:\Program Files\Zoom\bin\`, proc: "zoom.us", procWin: "Zoom.exe"},
	{name: "Visual Studio Code", version: "1.97.2", publisher: "Microsoft Corporation", bundle: "com.microsoft.VSCode", macPath: "/Applications/Visual Studio Code.app", winPath: `C:\Program Files\Microsoft VS Code\`, proc: "Code Helper", procWin: "Code.exe"},
	{name: "Docker Desktop", version: "4.38.0", publisher: "Docker Inc.", bundle: "com.docker.docker", macPath: "/Applications/Docker.app", winPath: `C:\Program Files\Docker\Docker\`, proc: "com.docker.backend", procWin: "Docker Desktop.exe"},
	{name: "1Password", version: "8.10.60", publisher: "AgileBits Inc.", bundle: "com.1password.1password", macPath: "/Applications/1Password.app", winPath: `C:\Program Files\1Password\app\8\`, proc: "1Password", procWin: "1Password.exe"},
	{name: "Microsoft Teams", version: "25031.805.3440.5290", publisher: "Microsoft Corporation", bundle: "com.microsoft.teams2", macPath: "/Applications/Microsoft Teams.app", winPath: `C:\Program Files\WindowsApps\MSTeams\`, proc: "MSTeams", procWin: "ms-teams.exe"},
	{name: "Firefox", version: "135.0.1", publisher: "Mozilla", bundle: "org.mozilla.firefox", macPath: "/Applications/Firefox.app", winPath: `C:\Program Files\Mozilla Firefox\`, proc: "firefox", procWin: "firefox.exe"},
	{name: "Notion", version: "4.5.0", publisher: "Notion Labs, Inc", bundle: "notion.id", macPath: "/Applications/Notion.app", winPath: `C:\Program Files\Notion\`, proc: "Notion", procWin: "Notion.exe"},
	{name: "iTerm2", version: "3.5.11", publisher: "George Nachman", bundle: "com.googlecode.iterm2", macPath: "/Applications/iTerm.app", winPath: `C:\Program Files\Git\`, proc: "iTerm2", procWin: "git-bash.exe"},
	{name: "Postman", version: "11.33.1", publisher: "Postman", bundle: "com.postmanlabs.mac", macPath: "/Applications/Postman.app", winPath: `C:\Program Files\Postman\`, proc: "Postman", procWin: "Postman.exe"},
	{name: "CrowdStrike Falcon", version: "7.21.19205", publisher: "CrowdStrike, Inc.", bundle: "com.crowdstrike.falcon.App", macPath: "/Applications/Falcon.app", winPath: `C:\Program Files\CrowdStrike\`, proc: "falcond", procWin: "CSFalconService.exe"},
}

// The remote-access tools of INDICATORS.md §2.1, with the artefacts that
// LOLRMM and the Sigma rules look for.
var (
	rmmAnyDesk    = app{name: "AnyDesk", version: "8.0.9", publisher: "AnyDesk Software GmbH", bundle: "com.philandro.anydesk", macPath: "/Applications/AnyDesk.app", winPath: `C:\Program Files (x86)\AnyDesk\`, proc: "AnyDesk", procWin: "AnyDesk.exe", cmdMac: "/Applications/AnyDesk.app/Contents/MacOS/AnyDesk --service", cmdWin: `"C:\Program Files (x86)\AnyDesk\AnyDesk.exe" --service`, rmm: true}
	rmmTeamViewer = app{name: "TeamViewer", version: "15.62.4", publisher: "TeamViewer Germany GmbH", bundle: "com.teamviewer.TeamViewer", macPath: "/Applications/TeamViewer.app", winPath: `C:\Program Files\TeamViewer\`, proc: "TeamViewer", procWin: "TeamViewer_Service.exe", cmdMac: "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer", cmdWin: `"C:\Program Files\TeamViewer\TeamViewer_Service.exe"`, rmm: true}
	rmmRustDesk   = app{name: "RustDesk", version: "1.3.7", publisher: "Purslane Ltd", bundle: "com.carriez.rustdesk", macPath: "/Applications/RustDesk.app", winPath: `C:\Program Files\RustDesk\`, proc: "rustdesk", procWin: "rustdesk.exe", cmdMac: "/Applications/RustDesk.app/Contents/MacOS/rustdesk --server", cmdWin: `"C:\Program Files\RustDesk\rustdesk.exe" --service`, rmm: true}
	rmmCRD        = app{name: "Chrome Remote Desktop Host", version: "133.0.6943.1", publisher: "Google LLC", bundle: "com.google.chromeremotedesktop.me2me-host", macPath: "/Library/PrivilegedHelperTools/ChromeRemoteDesktopHost.app", winPath: `C:\Program Files (x86)\Google\Chrome Remote Desktop\`, proc: "remoting_me2me_host", procWin: "remoting_host.exe", cmdMac: "/Library/PrivilegedHelperTools/ChromeRemoteDesktopHost.app/Contents/MacOS/remoting_me2me_host", cmdWin: `"C:\Program Files (x86)\Google\Chrome Remote Desktop\133.0.6943.1\remoting_host.exe" --type=daemon`, rmm: true}
	rmmAll        = []app{rmmAnyDesk, rmmTeamViewer, rmmRustDesk, rmmCRD}
)

// usbDev is a USB device as osquery's usb_devices table reports it.
type usbDev struct {
	vendorID, modelID, vendor, model, serial, version, class string
	kvm                                                      bool
}

var commonUSB = []usbDev{
	{vendorID: "046d", modelID: "c52b", vendor: "Logitech", model: "USB Receiver", version: "24.11", class: "0"},
	{vendorID: "05ac", modelID: "024f", vendor: "Apple Inc.", model: "Magic Keyboard", version: "1.00", class: "3"},
	{vendorID: "0bda", modelID: "8153", vendor: "Realtek", model: "USB 10/100/1000 LAN", version: "31.00", class: "0"},
	{vendorID: "17ef", modelID: "a392", vendor: "Lenovo", model: "ThinkPad USB-C Dock Gen2", version: "1.00", class: "9"},
	{vendorID: "046d", modelID: "085e", vendor: "Logitech", model: "BRIO", version: "3.17", class: "239"},
	{vendorID: "0781", modelID: "5583", vendor: "SanDisk", model: "Ultra Fit", version: "1.00", class: "0"},
	{vendorID: "1532", modelID: "0084", vendor: "Razer", model: "DeathAdder V2", version: "2.00", class: "0"},
	{vendorID: "0d8c", modelID: "0014", vendor: "C-Media Electronics Inc.", model: "USB Audio Device", version: "1.00", class: "0"},
}

// The IP-KVMs of INDICATORS.md §2.2, as they enumerate with their default
// identifiers (every one of them can be rewritten by its owner).
var (
	kvmPiKVM     = usbDev{vendorID: "1d6b", modelID: "0104", vendor: "PiKVM", model: "Composite KVM Device", serial: "CAFEBABE", version: "5.10", class: "0", kvm: true}
	kvmTinyPilot = usbDev{vendorID: "1d6b", modelID: "0104", vendor: "tinypilot", model: "Generic USB Keyboard", serial: "6b65796d696d6570690", version: "5.10", class: "0", kvm: true}
	kvmJetKVM    = usbDev{vendorID: "1d6b", modelID: "0104", vendor: "JetKVM", model: "USB Emulation Device", version: "5.10", class: "0", kvm: true}
	kvmGLKVM     = usbDev{vendorID: "1d6b", modelID: "0104", vendor: "GLKVM", model: "Composite KVM Device", serial: "CAFEBABE", version: "5.10", class: "0", kvm: true}
	kvmPiKVMReg  = usbDev{vendorID: "1209", modelID: "eda1", vendor: "PiKVM", model: "PiKVM Composite Device", serial: "CAFEBABE", version: "1.00", class: "0", kvm: true}
	kvmNanoKVM   = usbDev{vendorID: "1d6b", modelID: "0104", vendor: "Sipeed", model: "Sipeed NanoKVM", version: "5.10", class: "0", kvm: true}
	kvmAll       = []usbDev{kvmPiKVM, kvmTinyPilot, kvmJetKVM, kvmGLKVM, kvmPiKVMReg, kvmNanoKVM}
)

// Laptop models by platform.
var macModels = []struct{ model, cpu, prefix string }{
	{"Mac14,10", "Apple M2 Pro", "C02"}, {"Mac15,3", "Apple M3", "FVFH"}, {"Mac15,6", "Apple M3 Pro", "K7"}, {"Mac16,1", "Apple M4", "H4"},
}
var winModels = []struct{ vendor, model, cpu, prefix string }{
	{"Dell Inc.", "Latitude 7440", "13th Gen Intel(R) Core(TM) i7-1365U", ""},
	{"LENOVO", "21HMCTO1WW", "13th Gen Intel(R) Core(TM) i7-1355U", "PF"},
	{"HP", "HP EliteBook 840 G10", "13th Gen Intel(R) Core(TM) i5-1345U", "5CD"},
}
