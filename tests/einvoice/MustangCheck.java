// Runs the Mustang validator (EN 16931 and XRechnung schematron, veraPDF) on each file given and
// prints its XML report (<validation filename="...">), one per file (tests/einvoice/test_mustang.py).
public class MustangCheck {
    public static void main(String[] args) {
        for (String file : args) {
            org.mustangproject.validator.ZUGFeRDValidator validator = new org.mustangproject.validator.ZUGFeRDValidator();
            String report = validator.validate(file);
            System.out.println(report);
        }
    }
}
