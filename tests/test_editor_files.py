"""The pre-commit hook and the sample CI workflow run a real command on a content repository."""
import shlex

import yaml

from conftest import FIXTURES, ROOT

EXAMPLE = ROOT / "examples" / "content-repo"


def test_the_hook_runs_nianbao_check_on_content(cli):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((EXAMPLE / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["hooks"] == [{"id": hook["id"]}]
    program, *args = shlex.split(hook["entry"])
    assert program == "nianbao" and hook["pass_filenames"] is False and hook["files"] == "^content/"
    assert cli(*args, cwd=FIXTURES / "valid")[0] == 0
    assert cli(*args, cwd=FIXTURES / "bad" / "arith" / "balance")[0] == 1  # a bad commit is stopped


def test_the_workflow_annotates_the_offending_lines(cli):
    workflow = yaml.safe_load((EXAMPLE / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert runs[-1] == "nianbao check --format github"
    code, out, _ = cli(*shlex.split(runs[-1])[1:], cwd=FIXTURES / "bad" / "arith" / "balance")
    assert code == 1
    assert out.startswith("::error file=content/body/2023.md,line=13,col=") and "title=arith/balance::" in out
