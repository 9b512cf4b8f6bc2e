"""The data package: a zip that `frictionless validate` accepts, with keys and enums."""

import json
import zipfile

import frictionless
import pytest

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from tests import exports_data


def package(workshop, tmp_path, **options):
    export = start_export(workshop, ExportOptions(ExportFormat.DATAPACKAGE, **options))
    path = tmp_path / export.filename
    path.write_bytes(b"".join(export.chunks))
    return export, path


@pytest.mark.parametrize("options", [{}, {"labels": True, "language": "ur"}])
def test_frictionless_validates_the_package(app, make, tmp_path, options):
    ws = exports_data.build(make, "pkg")
    export, path = package(ws, tmp_path, **options)

    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [
            "long.csv",
            "wide.csv",
            "codebook.csv",
            "responses.csv",
            "codings.csv",
            "themes.csv",
            "pairs.csv",
            "datapackage.json",
        ]
        archive.extractall(tmp_path / "unzipped")
    for target in (path, tmp_path / "unzipped" / "datapackage.json"):
        report = frictionless.validate(str(target))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert export.filename.endswith(".zip") and export.row_count == 76


def test_descriptor_has_types_enums_missing_values_and_keys(app, make, tmp_path):
    ws = exports_data.build(make, "pkg-schema")
    _, path = package(ws, tmp_path, spreadsheet=True)

    with zipfile.ZipFile(path) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        long_csv = archive.read("long.csv")
    resources = {r["name"]: r for r in descriptor["resources"]}
    long, wide = resources["long"]["schema"], resources["wide"]["schema"]
    assert long["primaryKey"] == ["participant", "wave", "question", "item"]
    assert long["foreignKeys"][0]["reference"] == {"resource": "wide", "fields": ["participant"]}
    assert wide["primaryKey"] == ["participant"] and wide["missingValues"] == ["", "-9"]
    fields = {f["name"]: f for f in wide["fields"]}
    assert fields["pre_trust_agenda"]["type"] == "integer"
    assert fields["pre_trust_agenda"]["constraints"]["enum"] == [1, 2, 3, 4, 5]
    assert fields["pre_warmth"]["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields["pre_trust_score"]["type"] == "number"
    assert {f["name"]: f["type"] for f in long["fields"]}["submitted_at"] == "datetime"
    # The data package keeps exact values even when spreadsheet-safe was asked for.
    assert not long_csv.startswith(b"\xef\xbb\xbf")
    assert exports_data.EMOJI_TAKEAWAY.replace('"', '""').encode() in long_csv


def test_a_labelled_package_enumerates_the_labels_of_the_wide_group_and_sector(app, make, tmp_path):
    ws = exports_data.build(make, "pkg-labels")
    _, path = package(ws, tmp_path, labels=True, language="fr")

    with zipfile.ZipFile(path) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    wide = {f["name"]: f for f in resources["wide"]["schema"]["fields"]}
    long = {f["name"]: f for f in resources["long"]["schema"]["fields"]}
    assert wide["group"]["constraints"]["enum"] == ["OTAN", "Pakistan"]
    assert {"Diplomatie", "Université et recherche"} <= set(wide["sector"]["constraints"]["enum"])
    assert long["group"]["constraints"]["enum"] == ["nato", "pakistan"]  # the long file: codes
    assert "diplomatic" in long["sector"]["constraints"]["enum"]


def test_a_damaged_member_fails_validation(app, make, tmp_path):
    ws = exports_data.build(make, "pkg-damaged")
    _, path = package(ws, tmp_path)
    folder = tmp_path / "damaged"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    long_csv = folder / "long.csv"
    long_csv.write_bytes(long_csv.read_bytes()[:-200])  # truncated

    report = frictionless.validate(str(folder / "datapackage.json"))

    assert not report.valid
    assert {"hash-count", "byte-count"} <= {e[0] for e in report.flatten(["type"])}


def test_the_package_holds_the_codings_and_their_themes(app, make, tmp_path):
    from tests.coding_helpers import code, coding_world

    world = coding_world(texts_per_cell=3)
    coder = make.user("coder@example.org", grants={world.workshop: "researcher"})
    code(world, coder, "nato hope 0", "border")
    code(world, coder, "pakistan takeaway 1")  # no theme: an empty theme cell
    _, path = package(world.workshop, tmp_path)
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "unzipped")
        descriptor = json.loads(archive.read("datapackage.json"))
        codings = archive.read("codings.csv").decode()
        themes = archive.read("themes.csv").decode()
    report = frictionless.validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert codings.startswith("participant,wave,question,coder,theme\r\n")
    assert ",pre,hope_text,coder@example.org,border\r\n" in codings
    assert ",post,takeaway_text,final,\r\n" in codings
    assert themes.splitlines()[2] == "border,Border coordination,The border,security"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert resources["themes"]["schema"]["primaryKey"] == ["theme"]
    keys = resources["codings"]["schema"]["foreignKeys"]
    assert [k["reference"]["resource"] for k in keys] == ["wide", "themes"]


def test_a_coding_of_an_unknown_theme_fails_validation(app, make, tmp_path):
    from tests.coding_helpers import code, coding_world

    world = coding_world(texts_per_cell=2)
    coder = make.user("coder@example.org", grants={world.workshop: "researcher"})
    code(world, coder, "nato hope 0", "border")
    _, path = package(world.workshop, tmp_path)
    folder = tmp_path / "changed"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:  # edit freely: no hashes to match
        resource.pop("hash", None)
        resource.pop("bytes", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    data = (folder / "codings.csv").read_bytes()
    assert b",border\r\n" in data
    (folder / "codings.csv").write_bytes(data.replace(b",border\r\n", b",nowhere\r\n"))
    assert not frictionless.validate(str(folder / "datapackage.json")).valid


def test_the_package_says_which_participants_the_linking_code_makes_one(app, make, tmp_path):
    """Someone who lost their link and joined again has two rows in the wide file; pairs.csv
    names them, as the statistics count them, and its keys point into the wide file."""
    from survey.linking import linking_hashes

    ws = make.workshop(open_waves=("pre", "post"))
    code = {"mother": "Amina", "day": "7", "town": "Lahore", "siblings": "2"}
    first = make.participant(ws, "pakistan", linking=linking_hashes(ws, code))
    again = make.participant(ws, "pakistan", linking=linking_hashes(ws, code))
    both = make.participant(ws, "nato")
    make.response(first, "pre", {"trust_direct": 2})
    make.response(again, "post", {"trust_direct": 4})
    for wave in ("pre", "post"):
        make.response(both, wave, {"trust_direct": 3})
    _, path = package(ws, tmp_path)
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "unzipped")
        pairs = archive.read("pairs.csv").decode()
    assert pairs == (
        f"participant,wave,paired_with,paired_wave\r\n{first.public_id},pre,{again.public_id},post\r\n"
    )
    report = frictionless.validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
