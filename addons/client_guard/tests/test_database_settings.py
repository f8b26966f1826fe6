from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDatabaseSettings(TransactionCase):
    def test_jit_off_for_the_database(self):
        """The suite turns PostgreSQL's JIT off for its database at install:
        new connections run the rules' queries without JIT compilation."""
        self.env.cr.execute(
            """SELECT setconfig FROM pg_db_role_setting
                WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND setrole = 0"""
        )
        settings = [item for row in self.env.cr.fetchall() for item in row[0]]
        self.assertIn("jit=off", settings)
