// Load one ontology document with OWL API, strictly and offline, and report on it as JSON.
//
// Usage: java OwlCheck FILE [CATALOG]
//
// Imports are resolved only through CATALOG (an OASIS catalog-v001.xml, read the way
// ROBOT's CatalogXmlIRIMapper reads it: each <uri name=... uri=...> maps an IRI to a file
// relative to the catalog); any other import is mapped to a file that does not exist, so
// nothing is ever fetched. Exit 0: loaded, nothing left unparsed, no OWL 2 DL profile
// violation; 1: loaded with violations or unparsed triples; 2: could not load.
// Built against Debian's libowlapi-java (OWL API 5.1).
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.FunctionalSyntaxDocumentFormat;
import org.semanticweb.owlapi.formats.NTriplesDocumentFormat;
import org.semanticweb.owlapi.formats.RDFJsonLDDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAnnotationProperty;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public final class OwlCheck {
    private static final String DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115";

    private OwlCheck() {
    }

    private static String json(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String jsonList(Iterable<String> items) {
        List<String> parts = new ArrayList<>();
        for (String item : items) {
            parts.add(json(item));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static Map<IRI, IRI> readCatalog(File catalog) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList rows = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS("*", "uri");
        File folder = catalog.getAbsoluteFile().getParentFile();
        Map<IRI, IRI> mapping = new HashMap<>();
        for (int i = 0; i < rows.getLength(); i++) {
            Element row = (Element) rows.item(i);
            File target = new File(folder, row.getAttribute("uri"));
            mapping.put(IRI.create(row.getAttribute("name")), IRI.create(target));
        }
        return mapping;
    }

    private static OWLDocumentFormat formatFor(String name) {
        if (name.endsWith(".ttl")) {
            return null;
        } else if (name.endsWith(".nt")) {
            return new NTriplesDocumentFormat();
        } else if (name.endsWith(".jsonld")) {
            return new RDFJsonLDDocumentFormat();
        } else if (name.endsWith(".ofn")) {
            return new FunctionalSyntaxDocumentFormat();
        }
        return new RDFXMLDocumentFormat();
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java OwlCheck FILE [CATALOG]");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        Map<IRI, IRI> mapping;
        try {
            mapping = args.length == 2 ? readCatalog(new File(args[1])) : new HashMap<>();
        } catch (Exception error) {
            System.out.println("{\"loaded\": false, \"error\": " + json("catalog: " + error) + "}");
            System.exit(2);
            return;
        }
        // An import the catalog does not map goes to a file that is not there: never fetched.
        manager.getIRIMappers().add(iri -> mapping.getOrDefault(iri,
            IRI.create(new File("/nonexistent/offline/" + Integer.toHexString(iri.hashCode())))));
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setStrict(false)
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
            .setReportStackTraces(false);
        manager.setOntologyLoaderConfiguration(config);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(
                formatFor(args[0]) == null ? new FileDocumentSource(new File(args[0]))
                : new FileDocumentSource(new File(args[0]), formatFor(args[0])), config);
        } catch (Exception error) {
            String message = error.getClass().getSimpleName() + ": " + error.getMessage();
            if (message.length() > 4000) {
                message = message.substring(0, 4000);
            }
            System.out.println("{\"loaded\": false, \"error\": " + json(message) + "}");
            System.exit(2);
            return;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        long unparsed = 0;
        long guessed = 0;
        if (format != null && format.getOntologyLoaderMetaData().isPresent()) {
            OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
            unparsed = meta.getUnparsedTriples().count();
            guessed = meta.getGuessedDeclarations().size();
        }
        Set<String> imports = new TreeSet<>();
        ontology.importsClosure().filter(o -> !o.getOntologyID().equals(ontology.getOntologyID())).forEach(
            o -> imports.add(o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)")));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        Set<String> kinds = new TreeSet<>();
        List<String> samples = new ArrayList<>();
        for (OWLProfileViolation violation : report.getViolations()) {
            kinds.add(violation.getClass().getSimpleName());
            if (samples.size() < 20) {
                samples.add(violation.toString());
            }
        }
        OWLAnnotationProperty definition = manager.getOWLDataFactory()
            .getOWLAnnotationProperty(IRI.create(DEFINITION));
        long definitions = ontology.importsClosure()
            .flatMap(o -> o.axioms(org.semanticweb.owlapi.model.AxiomType.ANNOTATION_ASSERTION))
            .filter(a -> a.getProperty().equals(definition)).count();
        StringBuilder out = new StringBuilder("{\"loaded\": true");
        out.append(", \"format\": ").append(json(format == null ? null : format.getKey()));
        out.append(", \"ontology\": ").append(json(
            ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(null)));
        out.append(", \"version\": ").append(json(
            ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse(null)));
        out.append(", \"imports\": ").append(jsonList(imports));
        out.append(", \"axioms\": ").append(ontology.getAxiomCount(Imports.INCLUDED));
        out.append(", \"classes\": ").append(ontology.classesInSignature(Imports.INCLUDED).count());
        out.append(", \"individuals\": ")
            .append(ontology.individualsInSignature(Imports.INCLUDED).count());
        out.append(", \"definitions\": ").append(definitions);
        out.append(", \"unparsed\": ").append(unparsed);
        out.append(", \"guessed_declarations\": ").append(guessed);
        out.append(", \"violations\": ").append(report.getViolations().size());
        out.append(", \"violation_kinds\": ").append(jsonList(kinds));
        out.append(", \"violation_samples\": ").append(jsonList(samples));
        out.append("}");
        System.out.println(out);
        System.exit(report.isInProfile() && unparsed == 0 ? 0 : 1);
    }
}
