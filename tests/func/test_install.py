"""make install / uninstall with PREFIX and DESTDIR, and the installed tree
working on its own (codebook, translations, man page, pkg-config)."""
import os
import subprocess

from harness import CarnetTest, ROOT, base_env


class Install(CarnetTest):
    def make(self, *args):
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT] + list(args), capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r

    def test_install_into_destdir_then_uninstall(self):
        dest = os.path.join(self.dir, "pkg")
        self.make("install", "PREFIX=/opt/carnet", "DESTDIR=" + dest)
        root = dest + "/opt/carnet"
        for rel in ("bin/carnet", "share/carnet/codebooks/labacces-accueil.yaml", "share/man/man1/carnet.1",
                    "share/pkgconfig/carnet.pc", "share/locale/fr/LC_MESSAGES/carnet.mo"):
            self.assertTrue(os.path.exists(os.path.join(root, rel)), rel)
        env = base_env()
        del env["CARNET_DATADIR"]
        del env["CARNET_LOCALEDIR"]
        r = subprocess.run([root + "/bin/carnet", "--db", self.db, "init"], capture_output=True, text=True, env=env,
                           cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        pc = subprocess.run(["pkg-config", "--variable=codebookdir", "carnet"], capture_output=True, text=True,
                            env=dict(env, PKG_CONFIG_PATH=root + "/share/pkgconfig"))
        self.assertEqual(pc.stdout.strip(), "/opt/carnet/share/carnet/codebooks")
        self.make("uninstall", "PREFIX=/opt/carnet", "DESTDIR=" + dest)
        self.assertFalse(os.path.exists(root + "/bin/carnet"))
        self.assertFalse(os.path.exists(root + "/share/carnet"))
