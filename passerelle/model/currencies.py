"""ISO 4217 currency codes and their minor units (how many decimals an amount may have).

Why a table of our own: no library installed here carries ISO 4217 (Babel and
pycountry are not dependencies, and Tryton's own currency list is loaded from
pycountry by a script, not shipped). The list is ISO 4217 "List One" (active
codes, amendments up to 2025), plus codes withdrawn since 2008 that old
orders may still carry (HRK, LTL, SLL, VEF…), each with its historical minor
unit. Fund and precious-metal codes (XAU, XDR, XTS, XXX…) have no minor unit
and no order is priced in them: they are left out on purpose.
"""

from __future__ import annotations

__all__ = ["ISO_4217", "minor_units"]

# Most currencies have 2 decimals; the others are listed by their exponent.
_ZERO = "BIF BYR CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN
BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EEK EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD
KZT LAK LBP LKR LRD LSL LTL LVL MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR MVR MWK MXN MXV MYR
MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD
SHP SLE SLL SOS SRD SSP STD STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU
UZS VED VEF VES WST XCD XCG YER ZAR ZMW ZWG ZWL
"""

ISO_4217: dict[str, int] = {
    **{code: 2 for code in _TWO.split()},
    **{code: 0 for code in _ZERO.split()},
    **{code: 3 for code in _THREE.split()},
    **{code: 4 for code in _FOUR.split()},
}


def minor_units(code: str) -> int | None:
    """Decimals an amount in ``code`` may have (EUR 2, JPY 0, KWD 3); None if not ISO 4217."""
    return ISO_4217.get(code)
