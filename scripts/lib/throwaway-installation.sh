# Sourced by scripts/demo.sh and scripts/load.sh: a throw-away installation in a folder, for the portal and ttpctl.
# throwaway_installation WORK: chooses three free loopback ports (portal_port, soap_port, management_port) and exports
# the settings both programs read (data directory and SQLite database in WORK/data, the three endpoints, warnings only).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

throwaway_installation() {
  local work=$1
  portal_port=$(free_port)
  soap_port=$(free_port)
  while [[ "$soap_port" == "$portal_port" ]]; do soap_port=$(free_port); done
  management_port=$(free_port)
  while [[ "$management_port" == "$portal_port" || "$management_port" == "$soap_port" ]]; do management_port=$(free_port); done
  export Ttp__DataDirectory="$work/data"
  export ConnectionStrings__Ttp="Data Source=$work/data/ttp.db"
  export Kestrel__Endpoints__Portal__Url="https://127.0.0.1:$portal_port"
  export Kestrel__Endpoints__Soap__Url="https://127.0.0.1:$soap_port"
  export Kestrel__Endpoints__Management__Url="http://127.0.0.1:$management_port"
  export Logging__LogLevel__Default=Warning
  mkdir -m 700 -p "$work/data"
}
