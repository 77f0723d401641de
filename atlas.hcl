# For users with the atlas CLI: `atlas migrate apply --env postgres` (or --env sqlite) applies
# the same versioned directories the binary applies with `telemetryflow migrate up`. Both record
# history in the table atlas_schema_revisions of the target schema.

variable "database_url" {
  type    = string
  default = getenv("TF_DATABASE_URL")
}

env "postgres" {
  url = var.database_url
  dev = "docker://postgres/16/dev?search_path=public"
  migration {
    dir              = "file://migrations/postgres"
    revisions_schema = "public"
  }
}

env "sqlite" {
  url = "sqlite://data/telemetryflow.db?_fk=1"
  dev = "sqlite://dev?mode=memory"
  migration {
    dir = "file://migrations/sqlite"
  }
}
