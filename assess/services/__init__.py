"""The service layer: business rules as typed functions of plain values and a session."""
