package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.base.TextFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job payload. Unknown fields are ignored (GitLab adds fields over time); a missing or empty required field
 * is an {@link InvalidInputException} naming the field by its JSON path. Messages never quote values: the payload
 * carries the job token.
 */
public final class JobPayloadReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JobPayloadReader() {}

    public static JobPayload read(Path file) {
        return read(file.toString(), TextFiles.read(file));
    }

    public static JobPayload read(String source, String json) {
        JobPayload job;
        try {
            job = MAPPER.readValue(json, JobPayload.class);
        } catch (JsonMappingException e) {
            String missing = missingField(e);
            if (missing != null) {
                String parent = pathOf(e);
                throw new InvalidInputException(
                        source,
                        parent.equals("(json)") ? missing : parent + "." + missing,
                        "is required; GitLab always sends it, so the payload is incomplete");
            }
            throw new InvalidInputException(source, pathOf(e), describe(e));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    source,
                    "(json)",
                    "is not valid JSON at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()
                            + "; expected the body of a POST /api/v4/jobs/request response");
        }
        if (job == null) {
            throw new InvalidInputException(source, "(json)", "is empty; expected a job object");
        }
        List<FieldProblem> problems = problems(job);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(source, problems);
        }
        return job;
    }

    /**
     * Reads a job as GitLab hands it out. When it is not a readable job, its {@code id} and {@code token} are picked
     * out if they are there, as GitLab may still be told with them that the job failed.
     */
    public static ReceivedJob readReceived(String json) {
        try {
            JobPayload job = read("job", json);
            return new ReceivedJob.Readable(job, json);
        } catch (InvalidInputException e) {
            return unreadable(json, e);
        }
    }

    private static ReceivedJob.Unreadable unreadable(String json, InvalidInputException problem) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new ReceivedJob.Unreadable(null, null, problem.getMessage());
        }
        if (tree == null || !tree.path("id").canConvertToLong()) {
            return new ReceivedJob.Unreadable(null, null, problem.getMessage());
        }
        long id = tree.get("id").asLong();
        String token = tree.path("token").isTextual() ? tree.get("token").asText() : null;
        String named = new InvalidInputException("job " + id, problem.problems()).getMessage();
        return new ReceivedJob.Unreadable(id, token, named);
    }

    private static List<FieldProblem> problems(JobPayload job) {
        List<FieldProblem> problems = new ArrayList<>();
        requireText(problems, "token", job.token());
        requireText(problems, "git_info.repo_url", job.gitInfo().repoUrl());
        requireText(problems, "git_info.sha", job.gitInfo().sha());
        for (int i = 0; i < job.steps().size(); i++) {
            requireText(problems, "steps[" + i + "].name", job.steps().get(i).name());
        }
        for (int i = 0; i < job.variables().size(); i++) {
            requireText(
                    problems, "variables[" + i + "].key", job.variables().get(i).key());
        }
        for (int i = 0; i < job.services().size(); i++) {
            requireText(
                    problems, "services[" + i + "].name", job.services().get(i).name());
        }
        if (job.image() != null && job.image().name() == null) {
            problems.add(new FieldProblem("image.name", "is required when image is given"));
        }
        return problems;
    }

    private static void requireText(List<FieldProblem> problems, String path, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new FieldProblem(path, "is required and must not be empty"));
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(json)" : path.toString();
    }

    private static String missingField(JsonMappingException e) {
        String message = e.getOriginalMessage();
        if (!message.startsWith("Missing required creator property")) {
            return null;
        }
        int start = message.indexOf('\'');
        int end = message.indexOf('\'', start + 1);
        return start >= 0 && end > start ? message.substring(start + 1, end) : "(unknown field)";
    }

    private static String describe(JsonMappingException e) {
        String message = e.getOriginalMessage();
        if (message.startsWith("Cannot deserialize value of type")) {
            String type = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
                            && m.getTargetType() != null
                    ? m.getTargetType().getSimpleName()
                    : "another type";
            return "has the wrong type; expected " + type;
        }
        // Jackson's other messages quote at most a short token of the input, never a whole value.
        int detail = message.indexOf('\n');
        return detail > 0 ? message.substring(0, detail) : message;
    }
}
