"""vms_csv: what a plan may make drnet read, how much, and how the rows are read.

A plan comes from a pull request: its `vms_csv` must never read a file outside the
plan's folder (or DRNET_INVENTORY_ROOT), a device, a FIFO, nor echo a refused file.
"""

from __future__ import annotations

import os
import time

import pytest

from planner.inventory import read_vm_rows
from planner.load import MAX_FILE_BYTES

from .planbuilder import analyze_dict, base, codes

SECRET = "root:x:0:0:s3cr3t-canary:/root:/bin/bash"
HEADER = "vm,vm_network,subnet,ip,recovery_ip\n"


def _csv_plan(tmp_path, csv_name="vms.csv", csv_text=None):
    """The base plan in tmp_path/plans/, with vms_csv (and its file when csv_text is given)."""
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    plan = base()
    plan["vms_csv"] = csv_name
    if csv_text is not None:
        (folder / csv_name).write_bytes(csv_text.encode("utf-8") if isinstance(csv_text, str) else csv_text)
    return folder, plan


def _e008(analysis):
    hits = [d for d in analysis.diagnostics if d.code == "E008"]
    assert hits, [(d.code, d.message) for d in analysis.diagnostics]
    return hits


def _echoes_nothing(analysis, secret=SECRET):
    for d in analysis.diagnostics:
        for text in (d.message, d.hint or ""):
            assert "s3cr3t" not in text and "root:x" not in text, d


@pytest.fixture
def outside(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(SECRET + "\n")
    return path


@pytest.mark.parametrize("how", ["relative", "absolute"])
def test_a_path_out_of_the_plans_folder_is_refused_without_echo(tmp_path, outside, how):
    name = "../secret.csv" if how == "relative" else str(outside)
    folder, plan = _csv_plan(tmp_path, name)
    analysis = analyze_dict(folder, plan)
    [d] = _e008(analysis)
    assert "outside" in d.message and d.to_json()["path"] == "vms_csv"
    assert d.file.endswith("plan.yaml") and d.line > 1  # located at the vms_csv value
    _echoes_nothing(analysis)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path, outside):
    folder, plan = _csv_plan(tmp_path, "vms.csv")
    (folder / "vms.csv").symlink_to(outside)
    analysis = analyze_dict(folder, plan)
    [d] = _e008(analysis)
    assert "outside" in d.message
    _echoes_nothing(analysis)


def test_a_symlink_inside_the_folder_is_read(tmp_path):
    folder, plan = _csv_plan(tmp_path, "link.csv")
    (folder / "real.csv").write_text(HEADER + "WEB01,Corp,Apps,192.168.1.20,\n")
    (folder / "link.csv").symlink_to(folder / "real.csv")
    analysis = analyze_dict(folder, plan)
    assert analysis.ok, [(d.code, d.message) for d in analysis.diagnostics]
    assert "WEB01" in [n.vm for n in analysis.resolved.nics]


def test_inventory_root_widens_the_folder(tmp_path, monkeypatch):
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "vms.csv").write_text(HEADER + "WEB01,Corp,Apps,192.168.1.20,\n")
    folder, plan = _csv_plan(tmp_path, "../inventory/vms.csv")
    assert "E008" in codes(analyze_dict(folder, plan))
    monkeypatch.setenv("DRNET_INVENTORY_ROOT", str(tmp_path))
    analysis = analyze_dict(folder, plan)
    assert analysis.ok, [(d.code, d.message) for d in analysis.diagnostics]


@pytest.mark.parametrize("name", ["/dev/zero", "/dev/stdin", "/dev/null", "/proc/self/environ", "/etc/passwd"])
def test_devices_and_system_files_are_refused(tmp_path, name):
    folder, plan = _csv_plan(tmp_path, name)
    start = time.monotonic()
    analysis = analyze_dict(folder, plan)
    assert time.monotonic() - start < 30  # a hang would never get here; no timing asserted beyond that
    [d] = _e008(analysis)
    assert d.to_json()["path"] == "vms_csv"
    _echoes_nothing(analysis)


def test_a_device_inside_the_root_is_refused(tmp_path, monkeypatch):
    """Even where the folder is widened to /dev, only regular files are read."""
    monkeypatch.setenv("DRNET_INVENTORY_ROOT", "/dev")
    folder, plan = _csv_plan(tmp_path, "/dev/zero")
    [d] = _e008(analyze_dict(folder, plan))
    assert "regular file" in d.message


def test_a_fifo_is_refused_without_blocking(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv")
    os.mkfifo(folder / "vms.csv")  # nobody writes to it: reading it would block forever
    [d] = _e008(analyze_dict(folder, plan))
    assert "regular file" in d.message


def test_what_is_read_is_bounded_whatever_stat_says(tmp_path, monkeypatch):
    """stat() says 0 for devices: the read itself stops past the limit."""
    import planner.load as load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 4000)  # the plan is below, the CSV above
    folder, plan = _csv_plan(tmp_path, "vms.csv", HEADER + "WEB01,Corp,Apps,192.168.1.20,\n" * 200)
    real_stat, real_fstat = os.stat, os.fstat

    class ZeroSize:  # what stat() says of /dev/zero or a FIFO
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 0 if name == "st_size" else getattr(self._st, name)

    monkeypatch.setattr(os, "stat", lambda *a, **kw: ZeroSize(real_stat(*a, **kw)))
    monkeypatch.setattr(os, "fstat", lambda fd: ZeroSize(real_fstat(fd)))
    [d] = [x for x in analyze_dict(folder, plan).diagnostics if x.code == "E001"]
    assert "4,000" in d.message and d.file.endswith("vms.csv")
    assert MAX_FILE_BYTES == 16 * 1024 * 1024


@pytest.mark.parametrize("name", ["\0.csv", "vms\0../../etc/passwd", "x" * 5000 + ".csv", "a/" * 3000 + "b.csv"])
def test_unusable_characters_in_the_path_are_a_located_error(tmp_path, name):
    folder, plan = _csv_plan(tmp_path, name)
    [d] = _e008(analyze_dict(folder, plan))
    assert d.to_json()["path"] == "vms_csv" and d.line > 1


@pytest.mark.parametrize("name", ["", ".", "sub"])
def test_a_directory_is_refused(tmp_path, name):
    folder, plan = _csv_plan(tmp_path, name)
    (folder / "sub").mkdir()
    [d] = _e008(analyze_dict(folder, plan))
    assert "regular file" in d.message


def test_unknown_columns_of_a_file_that_is_not_an_inventory_are_not_echoed(tmp_path):
    folder, plan = _csv_plan(tmp_path, "notes.txt", SECRET + "\nmore\n")
    analysis = analyze_dict(folder, plan)
    assert _e008(analysis)
    _echoes_nothing(analysis)


def test_an_unknown_column_with_a_plain_name_is_named(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv", "vm,network,subnet,ip\n")
    [d] = [d for d in _e008(analyze_dict(folder, plan)) if "unknown" in d.message]
    assert "'network'" in d.message and (d.line, d.column) == (1, 4)


def test_a_cell_over_the_csv_field_limit_is_a_located_e008(tmp_path):
    big = "x" * 200_000
    folder, plan = _csv_plan(tmp_path, "vms.csv", HEADER + "WEB01,Corp,Apps,192.168.1.20,\n" + f'WEB02,Corp,Apps,"{big}",\n')
    [d] = _e008(analyze_dict(folder, plan))
    assert d.file.endswith("vms.csv") and d.line == 3
    assert big[:100] not in d.message


def test_a_huge_header_cell_is_a_located_e008(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv", '"' + "v" * 200_000 + '",vm_network\n')
    [d, *_] = _e008(analyze_dict(folder, plan))
    assert d.line == 1


# --- issue 9 item 6: rows of a VM, PowerShell exports ------------------------------------


def test_rows_of_a_vm_that_are_not_adjacent_are_an_error_with_both_rows(tmp_path):
    folder, plan = _csv_plan(
        tmp_path,
        "vms.csv",
        HEADER + "WEB01,Corp,Apps,192.168.1.20,\nWEB02,Corp,Apps,192.168.1.21,\nWEB01,Corp,Data,192.168.2.22,\n",
    )
    analysis = analyze_dict(folder, plan)
    [d] = _e008(analysis)
    assert d.file.endswith("vms.csv") and (d.line, d.column) == (4, 1)
    assert "WEB01" in d.message and "line 2" in d.message  # the other row
    web01 = [n for n in analysis.resolved.nics if n.vm == "WEB01"]
    assert len(web01) == 1  # the stray row did not become a second NIC


def test_adjacent_rows_of_a_vm_are_its_nics_in_order(tmp_path):
    folder, plan = _csv_plan(
        tmp_path, "vms.csv", HEADER + "WEB01,Corp,Apps,192.168.1.20,\nWEB01,Corp,Data,192.168.2.22,\nWEB02,Corp,Apps,192.168.1.21,\n"
    )
    analysis = analyze_dict(folder, plan)
    assert analysis.ok, [(d.code, d.message) for d in analysis.diagnostics]
    assert [(n.vm, n.nic, n.subnet) for n in analysis.resolved.nics if n.vm.startswith("WEB")] == [
        ("WEB01", 0, "Apps"), ("WEB01", 1, "Data"), ("WEB02", 0, "Apps")]


POWERSHELL = (
    '#TYPE Selected.System.Management.Automation.PSCustomObject\r\n'
    '"vm","vm_network","subnet","ip","recovery_ip"\r\n'
    '"WEB01","Corp","Apps","192.168.1.20",""\r\n'
    '"WEB02","Corp","Apps","192.168.1.300",""\r\n'
)


def test_a_windows_powershell_export_with_a_type_line_is_read(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv", POWERSHELL)
    analysis = analyze_dict(folder, plan)
    [d] = [d for d in analysis.diagnostics if d.is_error]
    # the bad IP of WEB02 is located on its own line (4: the #TYPE line counts), in its cell
    assert (d.code, d.line, d.column) == ("E103", 4, 24)
    assert "WEB01" in [n.vm for n in analysis.resolved.nics]


def test_a_bom_and_crlf_are_read(tmp_path):
    text = "\ufeff" + (HEADER + "WEB01,Corp,Apps,192.168.1.20,\nWEB02,Corp,Apps,192.168.1.x,\n").replace("\n", "\r\n")
    folder, plan = _csv_plan(tmp_path, "vms.csv", text)
    analysis = analyze_dict(folder, plan)
    [d] = [d for d in analysis.diagnostics if d.is_error]
    assert (d.code, d.line, d.column) == ("E103", 3, 17)


def test_a_type_line_anywhere_else_is_not_skipped(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv", HEADER + "#TYPE x\n")
    assert "E008" in codes(analyze_dict(folder, plan))


def test_columns_after_a_multi_line_quoted_cell_are_located(tmp_path):
    text = HEADER + 'WEB01,Corp,"Apps\nmore",192.168.1.20,\nWEB02,Corp,Apps,192.168.1.300,\n'
    rows, diags = read_vm_rows(text, "vms.csv")
    assert not diags
    (first, cells1), (second, cells2) = rows
    assert (cells1["subnet"].line, cells1["subnet"].column) == (2, 13)
    assert (cells1["ip"].line, cells1["ip"].column) == (3, 7)
    assert (cells2["ip"].line, cells2["ip"].column) == (4, 17)


def test_cells_are_located_by_position_not_by_searching_their_text(tmp_path):
    rows, _ = read_vm_rows(HEADER + "A,Corp,A,192.168.1.20,\n", "vms.csv")
    [(values, cells)] = rows
    assert [cells[c].column for c in ("vm", "vm_network", "subnet", "ip")] == [1, 3, 8, 10]


def test_a_line_separator_inside_a_cell_does_not_shift_lines():
    rows, diags = read_vm_rows(HEADER + "A\u2028B,Corp,Apps,192.168.1.20,\nC,Corp,Apps,192.168.1.21,\n", "vms.csv")
    assert [cells["vm"].line for _, cells in rows] == [2, 3]


def test_a_powershell_export_in_utf16_is_read(tmp_path):
    """`Export-Csv -Encoding Unicode`: UTF-16 with its byte order mark."""
    folder, plan = _csv_plan(tmp_path, "vms.csv", POWERSHELL.encode("utf-16"))
    analysis = analyze_dict(folder, plan)
    [d] = [d for d in analysis.diagnostics if d.is_error]
    assert (d.code, d.line, d.column) == ("E103", 4, 24)


def test_utf16_without_its_byte_order_mark_is_a_binary_file(tmp_path):
    folder, plan = _csv_plan(tmp_path, "vms.csv", POWERSHELL.encode("utf-16-le"))
    [d] = [d for d in analyze_dict(folder, plan).diagnostics if d.is_error]
    assert d.code == "E001" and d.file.endswith("vms.csv")
