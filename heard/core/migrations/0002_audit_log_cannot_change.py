"""Database triggers that refuse changes to the audit log, whoever goes round the application to try.

On PostgreSQL both UPDATE and DELETE are refused. On SQLite only UPDATE is: Django's test tooling empties tables
with DELETE there, and an embedded SQLite file is in any case only as safe as the laptop that holds it.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION heard_audit_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The audit log cannot be changed.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER heard_audit_no_update BEFORE UPDATE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION heard_audit_refuse_change();
CREATE TRIGGER heard_audit_no_delete BEFORE DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION heard_audit_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS heard_audit_no_update ON core_auditentry;
DROP TRIGGER IF EXISTS heard_audit_no_delete ON core_auditentry;
DROP FUNCTION IF EXISTS heard_audit_refuse_change();
"""
SQLITE_UP = """
CREATE TRIGGER heard_audit_no_update BEFORE UPDATE ON core_auditentry
BEGIN
  SELECT RAISE(ABORT, 'The audit log cannot be changed.');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS heard_audit_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
