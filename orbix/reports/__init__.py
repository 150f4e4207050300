"""Dashboard and reports: the numbers a freelancer runs the business on."""
