"""The SNMP side of the checks: pysnmp 7 on asyncio, GET and GETBULK only, numeric OIDs."""
