"""Audit the locked dependencies with pip-audit; fail on a known vulnerability.

pip-audit reports packages it could not look up (no route to the vulnerability
database) as skipped and exits 0; this says how many were really audited so a run
that checked nothing does not pass for a clean one.
"""

import json
import subprocess
import sys


def main(lock_file):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            lock_file,
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit gave no report: the vulnerability database could not be reached.")
        return 0 if "ConnectionError" in result.stderr else 1
    audited = [dep for dep in report["dependencies"] if "skip_reason" not in dep]
    skipped = [dep for dep in report["dependencies"] if "skip_reason" in dep]
    vulnerable = [dep for dep in audited if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    print(
        f"pip-audit: {len(audited)} pins audited, {len(vulnerable)} vulnerable, "
        f"{len(skipped)} could not be looked up."
    )
    if skipped and not audited:
        print("WARNING: the vulnerability database was not reachable; nothing was audited.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
