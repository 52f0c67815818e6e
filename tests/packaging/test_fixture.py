"""Fixture sizing: criteria, parts, masses, options, springs, bad input."""

import dataclasses
import math

import pytest

from interface.errors import InputError
from interface.system.fixture import (
    SPRING_STEEL,
    STRAP_PLATE_FACTOR,
    Fixture,
    FixtureOptions,
    coil_spring,
    disc_spring_force,
    disc_spring_rate,
    disc_spring_stack,
    fixture_parts_table,
    size_fixture,
)
from interface.system.plate import beam_plate, roark_plate
from interface.system.verify import disc_spring_benchmark

P, A, B, H = 2e6, 0.10, 0.08, 3e-3


def test_force_rods_and_mass_sum(steel):
    fx = size_fixture(P, A, B, H, cells_per_module=10)
    assert fx.force_N == pytest.approx(P * A * B)
    assert fx.mass_kg == pytest.approx(sum(p.mass_kg for p in fx.parts))
    rod = next(p for p in fx.parts if p.name == "tie_rod")
    assert rod.count == 8
    sigma_allow = steel.yield_stress / 2.0
    assert rod.extra["force_N"] == pytest.approx(fx.force_N / 8)
    assert rod.extra["stress_area_m2"] * sigma_allow == pytest.approx(fx.force_N / 8)
    # rod length covers the stack, pads, both plates, washers and nuts
    t = fx.plate.thickness_m
    assert rod.dimensions_m["length"] > 10 * H + 2 * 2e-3 + 2 * t
    for p in fx.parts:
        assert p.mass_kg > 0 and p.volume_m3 > 0
    assert {"end_plate", "end_pad", "tie_rod", "nut", "washer"} == {p.name for p in fx.parts}
    rows = fixture_parts_table(fx)
    assert sum(r["mass_kg"] for r in rows) == pytest.approx(fx.mass_kg)


def test_plate_criteria_are_met(steel):
    fx = size_fixture(P, A, B, H, cells_per_module=10)
    ps = fx.plate
    s, w = roark_plate(P, ps.span_x_m, ps.span_y_m, ps.thickness_m, steel.youngs_modulus)
    assert s <= fx.allowable_stress_Pa * (1 + 1e-12)
    assert w <= fx.allowable_deflection_m * (1 + 1e-12)
    # stiffness criterion: w <= f delta / 2, delta = P (N C_cell + 2 h_pad / M_pad)
    from interface.materials import get_material

    pad = get_material("polymer_pad")
    delta = P * (2 * 2e-3 / pad.oedometric_modulus)
    assert fx.stack_compression_m == pytest.approx(delta)
    assert fx.allowable_deflection_m == pytest.approx(0.05 * delta / 2)
    assert fx.pressure_nonuniformity <= 0.05 * (1 + 1e-9)
    assert fx.allowable_stress_Pa == pytest.approx(steel.yield_stress / 2)


def test_stiffness_thickness_independent_of_pressure(steel):
    """w ~ P and delta ~ P: the uniformity criterion fixes t whatever the pressure (only the
    span changes a little, with the rod diameter)."""
    from interface.system.plate import roark_coefficients

    fx = [size_fixture(p, A, B, H) for p in (0.5e6, 2e6, 8e6)]
    ratio = [f.allowable_deflection_m / f.pressure_Pa for f in fx]
    assert ratio[0] == pytest.approx(ratio[1], rel=1e-12) == ratio[2]
    for f in fx:
        ps = f.plate
        a, b = max(ps.span_x_m, ps.span_y_m), min(ps.span_x_m, ps.span_y_m)
        alpha = roark_coefficients(a / b)[1]
        t_expected = (alpha * b**4 / (steel.youngs_modulus * ratio[0])) ** (1 / 3)
        assert ps.thickness_stiffness_m == pytest.approx(t_expected, rel=1e-12)
    ts = [f.plate.thickness_strength_m / min(f.plate.span_x_m, f.plate.span_y_m) for f in fx]
    assert ts[1] / ts[0] == pytest.approx(2.0, rel=1e-2)


def test_more_cells_more_compliance_thinner_plates():
    one = size_fixture(P, A, B, H, cells_per_module=1, cell_compliance=5e-12)
    many = size_fixture(P, A, B, H, cells_per_module=40, cell_compliance=5e-12)
    assert many.plate.thickness_m < one.plate.thickness_m
    assert many.allowable_deflection_m > one.allowable_deflection_m


def test_deflection_limit_overrides():
    fx = size_fixture(P, A, B, H, deflection_limit=1e-4)
    assert fx.allowable_deflection_m == 1e-4
    assert not fx.plate.warnings                      # b/t ~ 11: thin enough


def test_thick_plate_is_flagged():
    fx = size_fixture(P, A, B, H)                      # 5 % uniformity: a ~40 mm block
    assert fx.plate.span_to_thickness < 5 and "method='fe'" in fx.plate.warnings[0]


def test_aluminium_vs_steel():
    st = size_fixture(P, A, B, H, material="steel")
    al = size_fixture(P, A, B, H, material="aluminium")
    assert al.parts[1].material == "aluminium_6061_t6"
    p_st, p_al = (next(p for p in f.parts if p.name == "end_plate") for f in (st, al))
    # stiffness governs: t ~ E^(-1/3), thicker but lighter in aluminium
    assert p_al.dimensions_m["thickness"] > p_st.dimensions_m["thickness"]
    assert p_al.mass_kg < p_st.mass_kg


def test_density_scales_mass_only(steel):
    heavy = dataclasses.replace(steel, density=3 * steel.density)
    a = size_fixture(P, A, B, H, pad_material="polymer_pad")
    b = size_fixture(P, A, B, H, material=heavy)
    for pa, pb in zip(a.parts, b.parts, strict=True):
        assert pa.dimensions_m == pytest.approx(pb.dimensions_m)
        if pa.name != "end_pad":
            assert pb.mass_kg == pytest.approx(3 * pa.mass_kg)


def test_cell_level_is_n_single_fixtures():
    single = size_fixture(P, A, B, H, cells_per_module=1)
    per_cell = size_fixture(P, A, B, H, cells_per_module=6, level="cell")
    assert per_cell.fixtures_per_module == 6
    assert per_cell.mass_kg == pytest.approx(6 * single.mass_kg)
    assert per_cell.envelope_m[2] == pytest.approx(6 * single.envelope_m[2])
    module = size_fixture(P, A, B, H, cells_per_module=6)
    assert module.mass_kg < per_cell.mass_kg


def test_straps(steel):
    fx = size_fixture(P, A, B, H, cells_per_module=10, tension="straps")
    names = {p.name for p in fx.parts}
    assert "strap" in names and "tie_rod" not in names
    strap = next(p for p in fx.parts if p.name == "strap")
    area = strap.dimensions_m["width"] * strap.dimensions_m["thickness"]
    assert 2 * area * steel.yield_stress / 2 == pytest.approx(fx.force_N)
    ps = fx.plate
    assert ps.support == "two_edges" and ps.span_y_m == pytest.approx(B + 2 * 3e-3)
    s, w = beam_plate(P, ps.span_y_m, ps.thickness_m, steel.youngs_modulus)
    assert STRAP_PLATE_FACTOR * s <= fx.allowable_stress_Pa * (1 + 1e-12)
    assert STRAP_PLATE_FACTOR * w <= fx.allowable_deflection_m * (1 + 1e-12)
    # a face given the other way round gives the same plate
    fx2 = size_fixture(P, B, A, H, cells_per_module=10, tension="straps")
    assert fx2.plate.thickness_m == pytest.approx(ps.thickness_m)


def test_disc_spring_force_matches_din_table(comm):
    rows = disc_spring_benchmark(comm)
    assert all(r.passed for r in rows)
    # the rate is the derivative of the force
    g = (25e-3, 12.2e-3, 1.5e-3, 0.55e-3)
    s, h = 0.3e-3, 1e-8
    num = (disc_spring_force(s + h, *g) - disc_spring_force(s - h, *g)) / (2 * h)
    assert disc_spring_rate(s, *g) == pytest.approx(num, rel=1e-6)


def test_spring_units_deliver_force_over_travel():
    for make in (coil_spring, disc_spring_stack):
        sp = make(2000.0, 0.4e-3, 0.1, min_inner_diameter=6e-3)
        assert sp.force_change <= 0.1 * (1 + 1e-9)
        assert sp.rate_N_per_m * sp.travel_m <= 0.1 * 2000.0 * (1 + 1e-9)
        assert sp.mass_kg > 0 and sp.envelope_volume_m3 > 0
    coil = coil_spring(2000.0, 0.4e-3, 0.1)
    d, D = coil.dimensions_m["wire_diameter"], coil.dimensions_m["mean_diameter"]
    c = D / d
    kb = (4 * c + 2) / (4 * c - 3)
    tau = kb * 8 * coil.force_max_N * D / (math.pi * d**3)
    assert tau == pytest.approx(SPRING_STEEL.allowable_shear, rel=1e-9)
    assert coil.dimensions_m["free_length"] > coil.dimensions_m["solid_length"]
    disc = disc_spring_stack(2000.0, 0.4e-3, 0.1)
    dd = disc.dimensions_m
    f = disc_spring_force(dd["working_deflection_per_disc"], dd["outer_diameter"],
                          dd["inner_diameter"], dd["thickness"], dd["free_height"])
    assert f == pytest.approx(2000.0, rel=1e-6)
    # more travel -> more discs in series
    more = disc_spring_stack(2000.0, 4e-3, 0.1)
    assert more.count_detail["discs_in_series"] > disc.count_detail["discs_in_series"]


def test_fixture_with_springs():
    for pressing, name in (("disc_springs", "disc_spring"), ("coil_springs", "coil_spring")):
        fx = size_fixture(P, A, B, H, cells_per_module=10, pressing=pressing)
        sp = next(p for p in fx.parts if p.name == name)
        assert sp.count == 8
        assert fx.spring.force_N == pytest.approx(fx.force_N / 8)
        assert fx.spring.travel_m == pytest.approx(10 * 20e-6)
        rod = next(p for p in fx.parts if p.name == "tie_rod")
        assert fx.spring.dimensions_m.get("inner_diameter",
                                          fx.spring.dimensions_m.get("mean_diameter", 0)) \
            > rod.dimensions_m["diameter"]
    rigid = size_fixture(P, A, B, H, cells_per_module=10)
    assert fx.envelope_m[2] > rigid.envelope_m[2]


def test_zero_fixture():
    z = Fixture.none(5)
    assert z.mass_kg == 0 and z.added_volume_m3 == 0 and z.cells_per_module == 5


@pytest.mark.parametrize("kwargs,key", [
    (dict(face_length=0.0), "face_length"),
    (dict(face_width=-0.1), "face_width"),
    (dict(pressure=0.0), "pressure"),
    (dict(cell_thickness=-1e-3), "cell_thickness"),
    (dict(safety_factor=0.9), "safety_factor"),
    (dict(deflection_limit=0.0), "deflection_limit"),
    (dict(material="unobtainium"), "material"),
    (dict(material="polymer_pad"), "material"),     # no yield stress
    (dict(rod_material="stel"), "rod_material"),
    (dict(cells_per_module=0), "cells_per_module"),
    (dict(n_rods=3), "n_rods"),
    (dict(level="pack"), "level"),
    (dict(pressure_variation=0.0), "pressure_variation"),
    (dict(tension="straps", pressing="disc_springs"), "pressing"),
    (dict(cell_compliance=0.0, end_pad_thickness=0.0), "deflection_limit"),
    (dict(plate_ribs=(1,)), "plate_ribs"),
    (dict(nonsense=1), "nonsense"),
])
def test_bad_input_names_the_parameter(kwargs, key):
    args = dict(pressure=P, face_length=A, face_width=B, cell_thickness=H)
    pos = {k: kwargs.pop(k) for k in list(kwargs) if k in args}
    args.update(pos)
    with pytest.raises(InputError) as e:
        size_fixture(args["pressure"], args["face_length"], args["face_width"],
                     args["cell_thickness"], **kwargs)
    assert e.value.key == key


def test_unknown_material_message_lists_suggestion():
    with pytest.raises(InputError) as e:
        size_fixture(P, A, B, H, material="stel")
    assert "steel" in str(e.value)


@pytest.mark.mpi
def test_fixture_with_fe_plates(comm):
    """plate_method "fe": a thinner plate than Roark's (the load covers only the face, the
    uniformity is measured over the face) and a valid FE result attached."""
    opts = FixtureOptions(cells_per_module=10, plate_method="fe", deflection_limit=2e-4,
                          plate_fe_options={"cells": 8})
    fe = size_fixture(P, A, B, H, opts, comm=comm)
    ro = size_fixture(P, A, B, H, cells_per_module=10, deflection_limit=2e-4)
    assert fe.plate.fe is not None
    assert fe.plate.thickness_m < ro.plate.thickness_m
    assert fe.plate.fe.deflection_variation_m <= 2e-4 * (1 + 3e-3)


def test_case_file_section():
    from interface.schema import build
    from interface.system.fixture import FixtureHardwareSpec

    sec = build(FixtureHardwareSpec, {"material": "aluminium", "cells_per_module": 12,
                                      "deflection_limit": "100 um", "end_pad_thickness": "3 mm",
                                      "pressure_variation": "10 %"}, "system.fixture")
    opts = sec.to_options()
    assert opts.deflection_limit == pytest.approx(1e-4)
    assert opts.end_pad_thickness == pytest.approx(3e-3)
    assert opts.pressure_variation == pytest.approx(0.1)
    assert opts.cells_per_module == 12 and opts.spring_travel_per_cell == pytest.approx(20e-6)
    fx = size_fixture(P, A, B, H, opts)
    assert fx.mass_kg > 0
    for data, key in (({"safety_factor": 0.5}, "system.fixture.safety_factor"),
                      ({"deflection_limit": "0 m"}, "system.fixture.deflection_limit"),
                      ({"tension": "straps", "pressing": "coil_springs"},
                       "system.fixture.pressing"),
                      ({"deflection_limit": "5 MPa"}, "system.fixture.deflection_limit")):
        with pytest.raises(InputError) as e:
            build(FixtureHardwareSpec, data, "system.fixture")
        assert e.value.key == key
